from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.models import ReferencePhoto, User
from accounts.services import reference_photo_validate_upload


class SignUpForm(forms.Form):
    email = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    height_cm = forms.IntegerField(
        label="Height (cm)", required=False, min_value=80, max_value=250, help_text="Optional; helps sizing."
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("An account with this e-mail address already exists.")
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            try:
                password_validation.validate_password(password1, User(email=cleaned.get("email", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True}))

    def clean_username(self):
        # Addresses are stored in lower case (sign-up, the API): "Ann@Example.com" signs in too.
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(forms.Form):
    height_cm = forms.IntegerField(label="Height (cm)", required=False, min_value=80, max_value=250)


class ReferencePhotoForm(forms.Form):
    image = forms.FileField(label="Photo", widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    kind = forms.ChoiceField(
        label="Kind", choices=ReferencePhoto.Kind.choices, initial=ReferencePhoto.Kind.FRONT
    )

    def clean_image(self):
        file = self.cleaned_data["image"]
        reference_photo_validate_upload(file)  # raises ValidationError with a sentence (size, format…)
        return file
