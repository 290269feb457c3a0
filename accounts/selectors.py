from django.db.models import QuerySet

from accounts.models import BodyMeasurements, ReferencePhoto, User


def reference_photo_list(*, user: User) -> QuerySet[ReferencePhoto]:
    return ReferencePhoto.objects.filter(user=user).order_by("-is_primary", "-created_at", "-id")


def reference_photo_get(*, user: User, photo_id: int) -> ReferencePhoto | None:
    return ReferencePhoto.objects.filter(user=user, pk=photo_id).first()


def reference_photo_primary(*, user: User) -> ReferencePhoto | None:
    return ReferencePhoto.objects.filter(user=user, is_primary=True).first()


def reference_photo_owner_of_path(path: str) -> int | None:
    """Resolver for the protected media view: the owner of a reference photo file, or None."""
    return ReferencePhoto.objects.filter(image=path).values_list("user_id", flat=True).first()


def body_measurements_get(*, user: User) -> BodyMeasurements | None:
    if not user.is_authenticated:
        return None
    return BodyMeasurements.objects.filter(user=user).first()


def body_measurement_inputs(
    *, user_id: int
) -> tuple[int | None, ReferencePhoto | None, ReferencePhoto | None]:
    """(height, front photo, side photo) a body measurement is made from: the primary photo if it
    is a front or full-body one (else the newest such), and the newest side photo."""
    user = User.objects.filter(pk=user_id).only("height_cm").first()
    if user is None:
        return None, None, None
    photos = list(
        ReferencePhoto.objects.filter(user_id=user_id).order_by("-is_primary", "-created_at", "-id")
    )
    front = next(
        (p for p in photos if p.kind in (ReferencePhoto.Kind.FRONT, ReferencePhoto.Kind.FULL_BODY)), None
    )
    side = next((p for p in photos if p.kind == ReferencePhoto.Kind.SIDE), None)
    return user.height_cm, front, side
