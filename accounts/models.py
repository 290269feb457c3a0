import uuid
from pathlib import PurePosixPath

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from shop.models import UploadedImageModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A shopper or a merchant; logs in with the e-mail address. ``height_cm`` is the profile."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    height_cm = models.PositiveSmallIntegerField(
        "height (cm)",
        null=True,
        blank=True,
        validators=[MinValueValidator(80), MaxValueValidator(250)],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


def reference_photo_upload_to(instance: "ReferencePhoto", filename: str) -> str:
    ext = PurePosixPath(filename).suffix.lower().lstrip(".") or "jpg"
    return f"private/reference/{instance.user_id}/{uuid.uuid4().hex}.{ext}"


class ReferencePhoto(UploadedImageModel):
    class Kind(models.TextChoices):
        FRONT = "front", "Front"
        SIDE = "side", "Side"
        FULL_BODY = "full_body", "Full body"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reference_photos")
    image = models.ImageField(upload_to=reference_photo_upload_to, width_field="width", height_field="height")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FRONT)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_primary=True), name="one_primary_reference_photo_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} photo #{self.pk} of {self.user}"


class BodyMeasurements(models.Model):
    """The shopper's body measurements (cm): estimated from their photos and height, corrected by them.

    ``estimated`` maps a measurement name to ``{"value_cm", "uncertainty_cm"}``; ``corrected`` maps a
    name to the shopper's own figure, which wins over the estimate. ``inputs_key`` identifies the
    photos, height and model version the estimate was made from (the estimate is redone when it
    changes).
    """

    NAMES = (
        "chest",
        "under_bust",
        "waist",
        "hips",
        "thigh",
        "inseam",
        "shoulder_width",
        "arm_length",
        "neck",
    )

    class Status(models.TextChoices):
        NONE = "none", "Not measured"
        PENDING = "pending", "Measuring"
        DONE = "done", "Measured"
        FAILED = "failed", "Could not measure"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="body_measurements")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NONE)
    reason = models.TextField(blank=True, help_text="Why the photos could not be measured.")
    estimated = models.JSONField(default=dict, blank=True)
    corrected = models.JSONField(default=dict, blank=True)
    notes = models.JSONField(default=list, blank=True)
    inputs_key = models.CharField(max_length=64, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    measured_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "body measurements"

    def __str__(self) -> str:
        return f"Measurements of {self.user}"

    def effective(self) -> dict[str, float]:
        """Name -> cm: the shopper's correction where there is one, else the estimate."""
        values = {name: float(v["value_cm"]) for name, v in (self.estimated or {}).items() if v}
        values.update({name: float(v) for name, v in (self.corrected or {}).items() if v is not None})
        return values
