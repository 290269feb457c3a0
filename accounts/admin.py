from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from accounts.forms import AdminLoginForm
from accounts.models import BodyMeasurements, ReferencePhoto, User
from accounts.services import (
    reference_photo_check_can_be_primary,
    reference_photo_create,
    reference_photo_delete,
    reference_photo_set_primary,
    reference_photo_validate_upload,
)

# The admin's log-in counts wrong passwords per address like the shop's (shop.throttling).
admin.site.login_form = AdminLoginForm


class ShopUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class ShopUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = ShopUserChangeForm
    add_form = ShopUserCreationForm
    ordering = ["email"]
    list_display = ["email", "height_cm", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["first_name", "last_name", "height_cm"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class ReferencePhotoAdminForm(forms.ModelForm):
    class Meta:
        model = ReferencePhoto
        fields = ["user", "image", "kind", "is_primary"]

    def clean_image(self):
        file = self.cleaned_data.get("image")
        if file and "image" in self.changed_data:
            reference_photo_validate_upload(file)
        return file

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("is_primary") and "is_primary" in self.changed_data:
            try:
                reference_photo_check_can_be_primary(photo=self.instance, user_id=self.instance.user_id)
            except ValidationError as error:
                self.add_error("is_primary", error)
        return cleaned


@admin.register(ReferencePhoto)
class ReferencePhotoAdmin(admin.ModelAdmin):
    form = ReferencePhotoAdminForm
    list_display = ["id", "preview", "user", "kind", "is_primary", "width", "height", "created_at"]
    list_filter = ["kind", "is_primary"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["preview", "width", "height", "content_hash", "created_at", "updated_at"]
    autocomplete_fields = ["user"]

    @admin.display(description="Photo")
    def preview(self, obj: ReferencePhoto):
        if not obj.pk:
            return "—"
        # The protected media view serves a reference photo to its owner only, so no thumbnail here.
        return format_html("<span>{}×{}</span>", obj.width, obj.height)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None:
            readonly += ["user", "image"]
        return readonly

    def save_model(self, request, obj, form, change):
        if not change:
            photo = reference_photo_create(user=obj.user, file=form.cleaned_data["image"], kind=obj.kind)
            if form.cleaned_data.get("is_primary"):
                reference_photo_set_primary(photo=photo)
            form.instance = photo
            obj.pk = photo.pk
            return
        if form.cleaned_data.get("is_primary") and "is_primary" in form.changed_data:
            reference_photo_set_primary(photo=obj)
        obj.save()

    def delete_model(self, request, obj):
        reference_photo_delete(photo=obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            reference_photo_delete(photo=photo)


@admin.register(BodyMeasurements)
class BodyMeasurementsAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "model_version", "measured_at"]
    list_filter = ["status"]
    search_fields = ["user__email"]
    readonly_fields = [
        "user",
        "status",
        "reason",
        "estimated",
        "notes",
        "inputs_key",
        "model_version",
        "measured_at",
    ]
