"""What "My shape" stores: the shopper's fitted body drawn as a mannequin, and per product the
mannequin wearing it in the recommended size and one size down and up (files, like cards)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def shape_path(instance, filename: str) -> str:
    return f"sizing/{instance.user_id}/{filename}"


class BodyShape(models.Model):
    """The front view of the fitted body, shaded, with where a garment is placed on it.

    Drawn with the measurements (same fit, same ``inputs_key``); gone when the photos cannot be
    measured."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_shape")
    inputs_key = models.CharField(max_length=64)
    image = models.FileField(upload_to=shape_path, max_length=255)  # RGBA PNG
    geometry = models.JSONField(default=dict)  # ml.body.mannequin.Mannequin.to_dict()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Body shape of {self.user}"


class ShapeView(models.Model):
    """One product on the shopper's mannequin. ``key`` digests what the pixels depend on (the
    body shape, the sizes and their chart rows, the figures they are compared with, the packshot)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Drawing"
        DONE = "done", "Drawn"
        FAILED = "failed", "Cannot be drawn"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shape_views")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="shape_views")
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(blank=True)
    image = models.FileField(upload_to=shape_path, max_length=255, blank=True)
    # [{"size": "M", "role": "recommended" | "down" | "up"}], left to right as in the image
    sizes = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="sizing_shape_view_unique_user_product")
        ]

    def __str__(self) -> str:
        return f"My shape of {self.user} in {self.product_id} ({self.status})"
