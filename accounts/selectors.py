from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import BodyMeasurements, ReferencePhoto, User


@dataclass
class PhotoUsability:
    """Whether a reference photo can be the main photo: ``ready``, ``analysing`` or ``unusable``.

    ``status`` and ``findings`` are what the photo's check (if an app checks photos) says:
    ``pending``/``running``/``done``/``failed`` and ``{code, severity, message}`` dicts.
    """

    photo: ReferencePhoto
    state: str
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    status: str = "done"
    findings: list[dict] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.state != "unusable"


# The app that checks photos (try-on) registers ``checker(photos) -> [PhotoUsability]`` in its
# ``AppConfig.ready``; without one every photo is usable.
PhotoChecker = Callable[[list[ReferencePhoto]], list[PhotoUsability]]
_photo_checker: list[PhotoChecker] = []


def register_photo_checker(checker: PhotoChecker) -> None:
    _photo_checker[:] = [checker]


def photos_usability(*, photos: Iterable[ReferencePhoto]) -> list[PhotoUsability]:
    """Each photo with its usability, in the given order (read afresh, a constant number of queries)."""
    photos = list(photos)
    if not _photo_checker:
        return [PhotoUsability(photo=photo, state="ready") for photo in photos]
    return _photo_checker[0](photos)


def photo_usability(*, photo: ReferencePhoto) -> PhotoUsability:
    return photos_usability(photos=[photo])[0]


def primary_photo_candidates(*, user: User, exclude_ids: Iterable[int] = ()) -> list[PhotoUsability]:
    """The user's photos that may become the main photo, best first.

    Unusable photos are left out. Checked photos come before those still being checked, fewer
    warnings before more, newer before older.
    """
    photos = ReferencePhoto.objects.filter(user=user).exclude(pk__in=list(exclude_ids))
    candidates = [u for u in photos_usability(photos=photos.order_by("-created_at", "-id")) if u.usable]
    # sorted() is stable: within a rank the newest (query order) stays first.
    return sorted(candidates, key=lambda u: (u.state != "ready", len(u.warnings)))


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
