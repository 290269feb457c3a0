from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.html import format_html

from catalog.models import Category, Product, ProductImage, ProductVariant, SizeChartRow, primary_image_of
from catalog.services import (
    parse_size_list,
    product_image_create,
    product_image_delete,
    product_image_replace_file,
    product_image_update,
    product_image_validate_upload,
    product_variant_create,
    product_variant_delete,
    product_variant_update,
    product_variants_add_sizes,
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


# An app that prepares every product image for its own use (the try-on's analysis) tells the admin
# where that state lives: the one-to-one relation to select with the images, and how to read it
# (an object with ``status``, ``findings`` and ``failure_reason``, or None while there is none).
# Registered in that app's AppConfig.ready; without one the images need no preparation.
_image_preparation: list[tuple[str, Callable[[ProductImage], object | None]]] = []


def register_image_preparation(*, related: str, read: Callable[[ProductImage], object | None]) -> None:
    _image_preparation[:] = [(related, read)]


def _preparation_related() -> list[str]:
    return [related for related, _ in _image_preparation]


ANALYSIS_LABELS = {
    "pending": "Waiting",
    "running": "Analysing…",
    "done": "Ready for try-on",
    "failed": "Failed",
}


def image_analysis(product_image: ProductImage):
    return _image_preparation[0][1](product_image) if _image_preparation else None


def image_status(product_image: ProductImage) -> dict:
    """Thumbnail, try-on analysis and landmarks of one image (the product page polls these)."""
    analysis = image_analysis(product_image)
    # without an app that prepares images there is nothing to wait for
    waiting = "pending" if _image_preparation else "done"
    status = analysis.status if analysis is not None else waiting
    findings = list(analysis.findings or []) if analysis is not None else []
    problems = [f["message"] for f in findings if f.get("severity") in ("error", "warning")]
    return {
        "id": product_image.pk,
        "thumbnail_url": product_image.thumbnail.url if product_image.thumbnail else "",
        "analysis_status": status,
        "analysis_label": ANALYSIS_LABELS.get(status, status),
        "analysis_reason": (analysis.failure_reason if analysis is not None else "") or " ".join(problems),
        "landmarks": landmarks_state(product_image, analysis),
        "final": bool(product_image.thumbnail) and status in ("done", "failed"),
    }


def landmarks_state(product_image: ProductImage, analysis) -> str:
    """Where a packshot's garment landmarks come from; on-model photos use the model's pose."""
    if product_image.role == ProductImage.Role.ON_MODEL:
        return "Not needed (pose)"
    if product_image.landmarks:
        return "Given"
    if analysis is None or analysis.status in ("pending", "running"):
        return "Waiting for the analysis"
    if analysis.status == "failed":
        return "None (analysis failed)"
    return "Estimated from the outline"


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    form = ProductImageForm
    extra = 2
    fields = ["preview", "image", "role", "order", "size", "analysis", "landmarks_source"]
    readonly_fields = ["preview", "size", "analysis", "landmarks_source"]
    ordering = ["order", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*_preparation_related())

    @admin.display(description="Thumbnail")
    def preview(self, obj: ProductImage):
        if not obj.pk:
            return "—"
        if not obj.thumbnail:
            return format_html(
                '<span class="image-thumb" data-image-thumb="{}" style="color:#888">being made…</span>',
                obj.pk,
            )
        return format_html(
            '<span class="image-thumb" data-image-thumb="{}">'
            '<img src="{}" style="height:96px;border-radius:4px" alt="Thumbnail of image {}"></span>',
            obj.pk,
            obj.thumbnail.url,
            obj.order,
        )

    @admin.display(description="Pixels")
    def size(self, obj: ProductImage) -> str:
        return f"{obj.width}×{obj.height}" if obj.pk else "—"

    @admin.display(description="Try-on analysis")
    def analysis(self, obj: ProductImage):
        if not obj.pk:
            return "—"
        state = image_status(obj)
        return format_html(
            '<span data-image-analysis="{}" data-status="{}"><b>{}</b> <small>{}</small></span>',
            obj.pk,
            state["analysis_status"],
            state["analysis_label"],
            state["analysis_reason"],
        )

    @admin.display(description="Landmarks")
    def landmarks_source(self, obj: ProductImage):
        if not obj.pk:
            return "—"
        return format_html(
            '<span data-image-landmarks="{}">{}</span>', obj.pk, image_status(obj)["landmarks"]
        )


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
        "list_thumbnail",
        "name",
        "category",
        "garment_kind",
        "colour",
        "price",
        "currency",
        "is_active",
        "image_count",
        "stock_summary",
        "tryon_state",
        "updated_at",
    ]
    list_display_links = ["list_thumbnail", "name"]
    list_filter = ["is_active", "category", "garment_kind", "colour"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["category"]
    form = ProductAdminForm
    inlines = [ProductVariantInline, ProductImageInline, SizeChartRowInline]

    def get_fieldsets(self, request, obj=None):
        fields = [f for f in self.get_fields(request, obj) if f not in ("add_sizes", "add_sizes_stock")]
        return [(None, {"fields": fields}), ("Sizes", {"fields": ["add_sizes", "add_sizes_stock"]})]

    class Media:
        js = ["js/admin_product_images.js"]

    def get_queryset(self, request):
        images = ProductImage.objects.select_related(*_preparation_related()).order_by("order", "id")
        return super().get_queryset(request).prefetch_related(Prefetch("images", queryset=images), "variants")

    @admin.display(description="Photo")
    def list_thumbnail(self, obj: Product):
        image = primary_image_of(obj)
        if image is None:
            return "—"
        if not image.thumbnail:
            return format_html('<span style="color:#888">{}</span>', "being made…")
        return format_html(
            '<img src="{}" alt="{}" style="height:56px;width:42px;object-fit:cover;border-radius:4px">',
            image.thumbnail.url,
            obj.name,
        )

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

    @admin.display(description="Try-on")
    def tryon_state(self, obj: Product) -> str:
        counts: dict[str, int] = {}
        for image in obj.images.all():
            status = image_status(image)["analysis_label"]
            counts[status] = counts.get(status, 0) + 1
        return ", ".join(f"{n} {label.lower()}" for label, n in counts.items()) or "—"

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/images/status/",
                self.admin_site.admin_view(self.images_status_view),
                name="catalog_product_images_status",
            )
        ]
        return urls + super().get_urls()

    def images_status_view(self, request, object_id: str):
        """JSON for the product page: each image's thumbnail, analysis and landmarks (polled)."""
        product = self.get_object(request, object_id)
        if product is None or not self.has_view_or_change_permission(request, product):
            raise Http404("No such product.")
        images = product.images.select_related(*_preparation_related()).order_by("order", "id")
        response = JsonResponse({"images": [image_status(image) for image in images]})
        response["Cache-Control"] = "private, no-store"
        return response

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
