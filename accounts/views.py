from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from accounts.exports import user_export_build
from accounts.forms import AccountDeleteForm, LoginForm, ProfileForm, ReferencePhotoForm, SignUpForm
from accounts.selectors import (
    photos_usability,
    primary_photo_candidates,
    reference_photo_get,
    reference_photo_list,
)
from accounts.services import (
    reference_photo_create,
    reference_photo_delete,
    reference_photo_set_primary,
    signup_complete,
    signup_request,
    signup_user_for_link,
    user_delete,
    user_update_profile,
)
from shop.hooks import page_context
from shop.throttling import throttle_hit, throttle_request, wait_message


def _throttled(request, scope: str) -> int | None:
    """Seconds to wait when this user (or client address) is over the scope's rate, else None."""
    return throttle_request(scope, request)


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _throttled(request, "signup")
        if wait is not None:
            form.add_error(None, wait_message(wait))
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        signup_request(
            email=form.cleaned_data["email"],
            height_cm=form.cleaned_data["height_cm"],
            base_url=request.build_absolute_uri("/"),
        )
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "accounts/signup_sent.html")


def signup_confirm(request, uidb64: str, token: str):
    """The link of the sign-up e-mail: choose a password, which activates the account."""
    user = signup_user_for_link(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/signup_confirm.html", {"form": None}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup_complete(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Add a photo of yourself to see products on you.")
        return redirect("accounts:photos")
    return render(request, "accounts/signup_confirm.html", {"form": form, "account_email": user.email})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = _throttled(request, "login")
        if wait is not None:
            messages.error(request, wait_message(wait))
            form = self.get_form_class()(request=request, initial={"username": request.POST.get("username")})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("catalog:product_list")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "check your e-mail" (Django's view never says whether the address exists);
    requests are limited per client and per address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        wait = _throttled(self.request, "password_reset") or throttle_hit("password_reset", f"email:{email}")
        if wait is not None:
            form.add_error(None, wait_message(wait))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, initial={"height_cm": request.user.height_cm})
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, height_cm=form.cleaned_data["height_cm"])
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def photos(request):
    form = ReferencePhotoForm(request.POST or None, request.FILES or None)
    wait = _throttled(request, "uploads") if request.method == "POST" else None
    if wait is not None:
        messages.error(request, wait_message(wait))
        form = ReferencePhotoForm()
        context = {"form": form, "photos": reference_photo_list(user=request.user)}
        return render(request, "accounts/photos.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            reference_photo_create(
                user=request.user, file=form.cleaned_data["image"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your photo is uploaded.")
            return redirect("accounts:photos")
    status = 400 if form.errors else 200
    photos = list(reference_photo_list(user=request.user))
    context = {
        **page_context("photos", request, photos),  # e.g. each photo's try-on check (shop.hooks)
        "form": form,
        "photos": photos,
        "tiles": photos_usability(photos=photos),
        "min_side": settings.REFERENCE_PHOTO_MIN_SIDE,
    }
    return render(request, "accounts/photos.html", context, status=status)


def _own_photo(request, photo_id: int):
    photo = reference_photo_get(user=request.user, photo_id=photo_id)
    if photo is None:
        raise Http404("No such photo.")
    return photo


def _photo_label(photo) -> str:
    when = date_format(localtime(photo.created_at), "j M Y, H:i")
    return f"your {photo.get_kind_display().lower()} photo from {when}"


@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request, photo_id: int):
    """GET: say what deleting does (and, for the main photo, which one takes its place); POST: do it.

    The POST's ``new_primary`` is a photo id, or empty for "no main photo for now"; without it
    the best remaining photo becomes the main one.
    """
    photo = _own_photo(request, photo_id)
    candidates = (
        primary_photo_candidates(user=request.user, exclude_ids=[photo.pk]) if photo.is_primary else []
    )
    error = ""
    if request.method == "POST":
        choice = request.POST.get("new_primary")
        new_primary = None
        if choice:
            new_primary = next((c.photo for c in candidates if str(c.photo.pk) == choice), None)
            if new_primary is None:
                error = "Choose one of the photos listed, or no main photo."
        if not error:
            main = reference_photo_delete(photo=photo, new_primary=new_primary, choose_best=choice is None)
            if not photo.is_primary:
                messages.success(request, "The photo is deleted.")
            elif main is not None:
                messages.success(
                    request, f"The photo is deleted. Your main photo is now {_photo_label(main)}."
                )
            else:
                messages.warning(
                    request,
                    "The photo is deleted. You have no main photo now: the catalogue shows the product "
                    "photos until you upload a photo or choose one below.",
                )
            return redirect("accounts:photos")
    context = {"photo": photo, "candidates": candidates, "error": error}
    return render(request, "accounts/photo_delete.html", context, status=400 if error else 200)


@login_required
@require_POST
def photo_set_primary(request, photo_id: int):
    try:
        reference_photo_set_primary(photo=_own_photo(request, photo_id))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "This photo is now your main photo.")
    return redirect("accounts:photos")


@login_required
def privacy(request):
    return render(request, "accounts/privacy.html")


@login_required
@require_POST
def data_export(request):
    wait = _throttled(request, "account")
    if wait is not None:
        messages.error(request, wait_message(wait))
        return redirect("accounts:privacy")
    response = HttpResponse(user_export_build(user=request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-atelier-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST":
        wait = _throttled(request, "account")
        if wait is not None:
            messages.error(request, wait_message(wait))
            form = AccountDeleteForm(user=request.user)
            return render(request, "accounts/account_delete.html", {"form": form}, status=429)
        if form.is_valid():
            user = request.user
            logout(request)
            user_delete(user=user)
            messages.success(request, "Your account, your photos and your try-ons are deleted.")
            return redirect("catalog:product_list")
    status = 400 if form.errors else 200
    return render(request, "accounts/account_delete.html", {"form": form}, status=status)
