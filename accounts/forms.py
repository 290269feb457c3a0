from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.models import ReferencePhoto
from accounts.services import reference_photo_validate_upload
from shop.throttling import login_failed, login_failures_exceeded, login_succeeded, wait_message


class SignUpForm(forms.Form):
    """E-mail (and height) only: the password is chosen through the link sent to that address, so
    the page never says whether the address has an account, and nobody can open one for an
    address they do not read."""

    email = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    height_cm = forms.IntegerField(
        label="Height (cm)", required=False, min_value=80, max_value=250, help_text="Optional; helps sizing."
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class FailureLockMixin:
    """Wrong passwords are counted per address (``shop.throttling``): past the limit even the
    right one is refused until the window has passed. For Django's authentication forms."""

    def clean(self):
        email = (self.cleaned_data.get("username") or "").lower()
        wait = login_failures_exceeded(email)
        if wait is not None:
            raise ValidationError(wait_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failed(email)
            raise
        if self.get_user() is not None:
            login_succeeded(email)
        return cleaned


class LoginForm(FailureLockMixin, AuthenticationForm):
    """The shop's log-in form (e-mail and password)."""

    username = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autofocus": True}))

    def clean_username(self):
        # Addresses are stored in lower case (sign-up, the API): "Ann@Example.com" signs in too.
        return self.cleaned_data["username"].strip().lower()


class AdminLoginForm(FailureLockMixin, AdminAuthenticationForm):
    """The admin's log-in form, with the same lock as the shop's."""


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account, my photos and my try-ons are deleted for good."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        wait = login_failures_exceeded(self.user.email)
        if wait is not None:
            raise ValidationError(wait_message(wait), code="throttled")
        if not self.user.check_password(password):
            login_failed(self.user.email)
            raise ValidationError("The password is wrong.", code="wrong_password")
        return password


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
