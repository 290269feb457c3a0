import base64

from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join

from tryon import services
from tryon.models import ProductImageAnalysis, ReferencePhotoAnalysis, Render, RenderStatus

OVERLAY_MAX_BYTES = 4 * 1024 * 1024


def _inline_png(field_file, width: int = 260) -> str:
    """Analysis files are never public; staff see them embedded in the page."""
    if not field_file:
        return "—"
    try:
        with default_storage.open(field_file.name, "rb") as handle:
            data = handle.read(OVERLAY_MAX_BYTES + 1)
    except (FileNotFoundError, OSError):
        return "(file missing)"
    if len(data) > OVERLAY_MAX_BYTES:
        return "(too large to show)"
    return format_html(
        '<img src="data:image/png;base64,{}" style="max-width:{}px;border-radius:6px" alt="">',
        base64.b64encode(data).decode(),
        width,
    )


class AnalysisAdminMixin:
    list_filter = ("status", "analyzer_version")
    readonly_fields = (
        "status",
        "failure_reason",
        "analyzer_version",
        "source_hash",
        "findings_list",
        "skeleton_preview",
        "parsing_preview",
        "metadata",
        "duration_ms",
        "attempts",
        "finished_at",
        "updated_at",
    )
    exclude = ("data", "skeleton", "parsing_overlay", "findings", "failure_code", "extras_for")

    @admin.display(description="Findings")
    def findings_list(self, obj):
        if not obj.findings:
            return "—"
        return format_html(
            "<ul style='margin:0;padding-left:1.1em'>{}</ul>",
            format_html_join(
                "", "<li><b>{}</b>: {}</li>", ((f["severity"], f["message"]) for f in obj.findings)
            ),
        )

    @admin.display(description="Skeleton")
    def skeleton_preview(self, obj):
        return _inline_png(obj.skeleton)

    @admin.display(description="Parsing")
    def parsing_preview(self, obj):
        return _inline_png(obj.parsing_overlay)

    @admin.display(description="Reason")
    def short_reason(self, obj):
        return (obj.failure_reason or "")[:80]

    def has_add_permission(self, request):
        return False


@admin.register(ProductImageAnalysis)
class ProductImageAnalysisAdmin(AnalysisAdminMixin, admin.ModelAdmin):
    list_display = ("product_image", "product", "status", "short_reason", "analyzer_version", "updated_at")
    list_select_related = ("product_image__product",)
    search_fields = ("product_image__product__name",)
    actions = ["reanalyse"]
    readonly_fields = ("product_image", *AnalysisAdminMixin.readonly_fields)

    @admin.display(description="Product")
    def product(self, obj):
        return obj.product_image.product

    @admin.action(description="Re-analyse the selected product images")
    def reanalyse(self, request, queryset):
        for analysis in queryset.select_related("product_image"):
            services.product_image_schedule_analysis(product_image=analysis.product_image, force=True)
        messages.success(request, f"{queryset.count()} analyses scheduled.")


@admin.register(ReferencePhotoAnalysis)
class ReferencePhotoAnalysisAdmin(AnalysisAdminMixin, admin.ModelAdmin):
    list_display = ("photo", "owner", "status", "short_reason", "analyzer_version", "updated_at")
    list_select_related = ("photo__user", "owner")
    search_fields = ("owner__email",)
    actions = ["reanalyse"]
    readonly_fields = ("photo", "owner", *AnalysisAdminMixin.readonly_fields)

    @admin.action(description="Re-analyse the selected reference photos")
    def reanalyse(self, request, queryset):
        for analysis in queryset.select_related("photo"):
            services.reference_photo_schedule_analysis(photo=analysis.photo, force=True)
        messages.success(request, f"{queryset.count()} analyses scheduled.")


@admin.register(Render)
class RenderAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "owner",
        "kind",
        "product",
        "mode",
        "status",
        "renderer",
        "renderer_version",
        "created_at",
    )
    list_filter = ("status", "kind", "mode", "renderer", "renderer_version")
    list_select_related = ("owner", "product")
    search_fields = ("owner__email", "product__name")
    readonly_fields = [f.name for f in Render._meta.fields] + ["card_preview"]
    actions = ["retry"]

    @admin.display(description="Card")
    def card_preview(self, obj):
        if not obj.card:
            return "—"
        try:
            with default_storage.open(obj.card.name, "rb") as handle:
                data = handle.read(OVERLAY_MAX_BYTES)
        except (FileNotFoundError, OSError):
            return "(file missing)"
        return format_html(
            '<img src="data:image/jpeg;base64,{}" style="max-width:240px">', base64.b64encode(data).decode()
        )

    @admin.action(description="Render again")
    def retry(self, request, queryset):
        for render in queryset.exclude(status=RenderStatus.RUNNING):
            services.render_retry(render=render)
        messages.success(request, "Queued again.")

    def has_add_permission(self, request):
        return False
