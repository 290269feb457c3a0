from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from catalog.models import Category, Product, ProductImage, SizeChartRow
from catalog.services import (
    product_image_create,
    product_image_delete,
    product_image_replace_file,
    product_image_update,
    product_image_validate_upload,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ProductImageForm(forms.ModelForm):
    class Meta:
        model = ProductImage
        fields = ["image", "role", "order"]

    def clean_image(self):
        file = self.cleaned_data.get("image")
        if file and "image" in self.changed_data:
            product_image_validate_upload(file)
        return file


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    extra = 2
    fields = ["preview", "image", "role", "order", "size", "has_landmarks"]
    readonly_fields = ["preview", "size", "has_landmarks"]
    ordering = ["order", "id"]

    @admin.display(description="Thumbnail")
    def preview(self, obj: ProductImage):
        if not obj.pk:
            return "—"
        if not obj.thumbnail:
            return format_html('<span style="color:#888">being made…</span>')
        return format_html('<img src="{}" style="height:96px;border-radius:4px" alt="">', obj.thumbnail.url)

    @admin.display(description="Pixels")
    def size(self, obj: ProductImage) -> str:
        return f"{obj.width}×{obj.height}" if obj.pk else "—"

    @admin.display(description="Landmarks", boolean=True)
    def has_landmarks(self, obj: ProductImage) -> bool | None:
        return bool(obj.landmarks) if obj.pk else None


class SizeChartRowInline(admin.TabularInline):
    model = SizeChartRow
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "category",
        "garment_kind",
        "price",
        "currency",
        "is_active",
        "image_count",
        "updated_at",
    ]
    list_filter = ["is_active", "category", "garment_kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["category"]
    inlines = [ProductImageInline, SizeChartRowInline]

    @admin.display(description="Images")
    def image_count(self, obj: Product) -> int:
        return obj.images.count()

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProductImage:
            return super().save_formset(request, form, formset, change)
        # Every image change goes through the services so that thumbnails (and analyses) get scheduled.
        product = form.instance
        for image_form in formset.forms:
            if not hasattr(image_form, "cleaned_data") or not image_form.cleaned_data:
                continue
            instance = image_form.instance
            if formset.can_delete and formset._should_delete_form(image_form):
                if instance.pk:
                    product_image_delete(product_image=instance)
                continue
            if not image_form.has_changed():
                continue
            data = image_form.cleaned_data
            try:
                if instance.pk is None:
                    product_image_create(
                        product=product, file=data["image"], role=data["role"], order=data["order"]
                    )
                else:
                    if "image" in image_form.changed_data:
                        product_image_replace_file(product_image=instance, file=data["image"])
                    product_image_update(product_image=instance, role=data["role"], order=data["order"])
            except ValidationError as error:  # already validated by the form; keep the admin from crashing
                self.message_user(request, "; ".join(error.messages), level="error")
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None
