from django.db.models import QuerySet

from accounts.models import ReferencePhoto, User


def reference_photo_list(*, user: User) -> QuerySet[ReferencePhoto]:
    return ReferencePhoto.objects.filter(user=user).order_by("-is_primary", "-created_at", "-id")


def reference_photo_get(*, user: User, photo_id: int) -> ReferencePhoto | None:
    return ReferencePhoto.objects.filter(user=user, pk=photo_id).first()


def reference_photo_primary(*, user: User) -> ReferencePhoto | None:
    return ReferencePhoto.objects.filter(user=user, is_primary=True).first()


def reference_photo_owner_of_path(path: str) -> int | None:
    """Resolver for the protected media view: the owner of a reference photo file, or None."""
    return ReferencePhoto.objects.filter(image=path).values_list("user_id", flat=True).first()
