from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from catalog.models import Category, Product, ProductImage, ProductVariant, SizeChartRow
from catalog.services import (
    parse_size_list,
    product_image_create,
    product_image_delete,
    product_image_replace_file,
    product_image_update,
    product_variant_create,
    product_variant_delete,
    product_variant_update,
    product_variants_add_sizes,
)
from shop.images import validate_image_upload


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
            validate_image_upload(file)
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


class ProductVariantForm(forms.ModelForm):
    class Meta:
        model = ProductVariant
        fields = ["size", "colour", "sku", "stock", "price_override", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].required = False
        self.fields["sku"].help_text = "Made from the slug, size and colour when left empty."


class ProductVariantInline(admin.TabularInline):
    model = ProductVariant
    form = ProductVariantForm
    extra = 0
    fields = ["size", "colour", "sku", "stock", "price_override", "order"]
    ordering = ["order", "id"]


class ProductAdminForm(forms.ModelForm):
    add_sizes = forms.CharField(
        label="Add sizes",
        required=False,
        help_text="A plain list such as <code>XS, S, M, L</code>: a variant is added for each size the "
        "product does not have yet (edit SKU, stock and price in the table below).",
    )
    add_sizes_stock = forms.IntegerField(
        label="Stock of each added size", required=False, min_value=0, initial=0
    )

    class Meta:
        model = Product
        fields = [
            "category",
            "name",
            "slug",
            "description",
            "price",
            "currency",
            "garment_kind",
            "is_active",
        ]

    def clean_add_sizes(self):
        try:
            return parse_size_list(self.cleaned_data.get("add_sizes") or "")
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


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
        "stock_summary",
        "updated_at",
    ]
    list_filter = ["is_active", "category", "garment_kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["category"]
    form = ProductAdminForm
    inlines = [ProductVariantInline, ProductImageInline, SizeChartRowInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("images", "variants")

    def get_fieldsets(self, request, obj=None):
        fields = [f for f in self.get_fields(request, obj) if f not in ("add_sizes", "add_sizes_stock")]
        return [(None, {"fields": fields}), ("Sizes", {"fields": ["add_sizes", "add_sizes_stock"]})]

    @admin.display(description="Images")
    def image_count(self, obj: Product) -> int:
        return len(obj.images.all())

    @admin.display(description="Sizes in stock")
    def stock_summary(self, obj: Product) -> str:
        variants = list(obj.variants.all())
        if not variants:
            return "—"
        return ", ".join(f"{v.label}: {v.stock}" for v in variants)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sizes = form.cleaned_data.get("add_sizes") or []
        if sizes:
            added = product_variants_add_sizes(
                product=form.instance, sizes=sizes, stock=form.cleaned_data.get("add_sizes_stock") or 0
            )
            if added:
                self.message_user(request, f"Added sizes: {', '.join(v.size for v in added)}.")

    def save_formset(self, request, form, formset, change):
        if formset.model is ProductVariant:
            return self._save_variants(request, form, formset)
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

    def _save_variants(self, request, form, formset) -> None:
        """Variant rows go through the catalogue services (SKU made when empty, full_clean)."""
        product = form.instance
        for variant_form in formset.forms:
            if not hasattr(variant_form, "cleaned_data") or not variant_form.cleaned_data:
                continue
            instance = variant_form.instance
            if formset.can_delete and formset._should_delete_form(variant_form):
                if instance.pk:
                    product_variant_delete(variant=instance)
                continue
            if not variant_form.has_changed():
                continue
            data = {name: variant_form.cleaned_data.get(name) for name in ProductVariantForm.Meta.fields}
            try:
                if instance.pk is None:
                    product_variant_create(product=product, **data)
                else:
                    if not data["sku"]:
                        data.pop("sku")
                    product_variant_update(variant=ProductVariant.objects.get(pk=instance.pk), **data)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), level="error")
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
