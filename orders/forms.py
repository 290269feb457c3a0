from django import forms

from orders.models import CART_MAX_QUANTITY


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(min_value=1, error_messages={"required": "Please choose a size."})
    quantity = forms.IntegerField(min_value=1, max_value=CART_MAX_QUANTITY, initial=1)


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=0, max_value=CART_MAX_QUANTITY)


class CheckoutForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    phone = forms.CharField(max_length=32, required=False, help_text="For the courier, if they need it.")
    full_name = forms.CharField(label="Full name", max_length=120)
    address_line1 = forms.CharField(label="Address", max_length=200)
    address_line2 = forms.CharField(label="Address (line 2)", max_length=200, required=False)
    postcode = forms.CharField(max_length=20)
    city = forms.CharField(max_length=100)
    country = forms.CharField(max_length=100)
