"""Try-on data: photo analyses (product images and reference photos) and renders.

File paths live under ``private/tryon/`` so the protected media view asks
:mod:`tryon.media` who may read them (the owner only; analysis files of product images: staff).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class AnalysisStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


def _token() -> str:
    return uuid.uuid4().hex[:10]


def product_analysis_path(instance: ProductImageAnalysis, filename: str) -> str:
    return f"private/tryon/analysis/product/{instance.product_image_id}/{_token()}-{filename}"


def photo_analysis_path(instance: ReferencePhotoAnalysis, filename: str) -> str:
    return f"private/tryon/analysis/photo/{instance.owner_id}/{instance.photo_id}/{_token()}-{filename}"


def render_path(instance: Render, filename: str) -> str:
    return f"private/tryon/renders/{instance.owner_id}/{instance.pk}/{_token()}-{filename}"


class AnalysisBase(models.Model):
    """One analysis of one image; re-running it overwrites the row (never a second row)."""

    status = models.CharField(
        max_length=16, choices=AnalysisStatus.choices, default=AnalysisStatus.PENDING, db_index=True
    )
    failure_code = models.CharField(max_length=40, blank=True)
    failure_reason = models.TextField(blank=True)
    analyzer_version = models.CharField(max_length=64, blank=True)
    # content_hash of the image bytes this row describes (empty until analysed).
    source_hash = models.CharField(max_length=64, blank=True)
    # "<renderer>@<version>" whose precompute() extras are stored in the npz, if any.
    extras_for = models.CharField(max_length=80, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    findings = models.JSONField(default=list, blank=True)
    data = models.FileField(max_length=255, blank=True)
    skeleton = models.FileField(max_length=255, blank=True)
    parsing_overlay = models.FileField(max_length=255, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Recovery (tryon.services.leases): when the task was handed to the broker (null: not yet, or
    # the broker was down), and until when a running analysis is known to be alive (renewed).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_usable(self) -> bool:
        return self.status == AnalysisStatus.DONE and not any(
            f.get("severity") == "error" for f in self.findings or []
        )

    def file_names(self) -> list[str]:
        return [f.name for f in (self.data, self.skeleton, self.parsing_overlay) if f]


class ProductImageAnalysis(AnalysisBase):
    product_image = models.OneToOneField(
        "catalog.ProductImage", on_delete=models.CASCADE, related_name="tryon_analysis"
    )

    class Meta:
        verbose_name = "product image analysis"
        verbose_name_plural = "product image analyses"

    def __str__(self) -> str:
        return f"analysis of product image {self.product_image_id} ({self.status})"


class ReferencePhotoAnalysis(AnalysisBase):
    photo = models.OneToOneField(
        "accounts.ReferencePhoto", on_delete=models.CASCADE, related_name="tryon_analysis"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tryon_photo_analyses"
    )

    class Meta:
        verbose_name = "reference photo analysis"
        verbose_name_plural = "reference photo analyses"

    def __str__(self) -> str:
        return f"analysis of reference photo {self.photo_id} ({self.status})"


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    UNAVAILABLE = "unavailable", "Unavailable"
    # rendered, but the quality gate's confidence was too low: the card shows the product photo
    HELD_BACK = "held_back", "Held back"


FINAL_STATUSES = (RenderStatus.DONE, RenderStatus.FAILED, RenderStatus.UNAVAILABLE, RenderStatus.HELD_BACK)


class RenderKind(models.TextChoices):
    CARD = "card", "Card"
    OUTFIT = "outfit", "Outfit"


class RenderMode(models.TextChoices):
    TRYON = "tryon", "On me"
    POSE = "pose", "The model in my pose"


class Render(models.Model):
    """One shopper photo x one product image (a card) or several (an outfit), by one renderer.

    ``cache_key`` digests everything the pixels depend on (photo id + content hash, product
    image ids + content hashes, mode, renderer name + version), so a duplicate request finds
    this row and any change makes a new key.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tryon_renders"
    )
    photo = models.ForeignKey(
        "accounts.ReferencePhoto", on_delete=models.CASCADE, related_name="tryon_renders"
    )
    photo_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=RenderKind.choices, default=RenderKind.CARD)
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="tryon_renders"
    )
    mode = models.CharField(max_length=8, choices=RenderMode.choices, default=RenderMode.TRYON)
    # The mode actually shown (a try-on the photo cannot carry falls back to "pose").
    result_mode = models.CharField(max_length=8, choices=RenderMode.choices, blank=True)
    renderer = models.CharField(max_length=32)
    renderer_version = models.CharField(max_length=32)
    cache_key = models.CharField(max_length=64)
    status = models.CharField(
        max_length=16, choices=RenderStatus.choices, default=RenderStatus.QUEUED, db_index=True
    )
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    image = models.FileField(upload_to=render_path, max_length=255, blank=True)
    card = models.FileField(upload_to=render_path, max_length=255, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    # the quality gate: ml.quality's confidence (None: not gated, e.g. pose mode) and its measures
    confidence = models.FloatField(null=True, blank=True)
    quality = models.JSONField(default=dict, blank=True)
    priority = models.BigIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    # The claim is a lease, renewed by the worker while it renders; an expired one is free again.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cache_key"], name="tryon_render_unique_cache_key")]
        indexes = [
            models.Index(fields=["photo", "status", "-priority", "id"], name="tryon_render_queue"),
            models.Index(fields=["photo", "kind", "product"], name="tryon_render_card"),
        ]

    def __str__(self) -> str:
        return f"render {self.pk} ({self.kind}, {self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def file_names(self) -> list[str]:
        return [f.name for f in (self.image, self.card) if f]


class RenderGarment(models.Model):
    """The product images of a render, in order, with the content hash they were keyed on."""

    render = models.ForeignKey(Render, on_delete=models.CASCADE, related_name="garments")
    product_image = models.ForeignKey(
        "catalog.ProductImage", on_delete=models.CASCADE, related_name="tryon_render_garments"
    )
    position = models.PositiveSmallIntegerField(default=0)
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["render", "position"], name="tryon_render_garment_position")
        ]

    def __str__(self) -> str:
        return f"garment {self.position} of render {self.render_id}"
