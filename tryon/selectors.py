"""Read-side of the try-on pipeline: card states, progress, ownership of files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet

from accounts.models import ReferencePhoto
from accounts.selectors import PhotoUsability
from catalog.models import Product
from tryon.models import (
    AnalysisStatus,
    ReferencePhotoAnalysis,
    Render,
    RenderKind,
    RenderMode,
    RenderStatus,
)
from tryon.services import photo_readiness, shopper_photo


@dataclass
class CardState:
    """What one catalogue card shows for the signed-in shopper."""

    product_id: int
    status: str  # none | analysing | queued | running | done | failed | unavailable | held_back
    card_url: str = ""
    image_url: str = ""
    reason: str = ""
    render_id: int | None = None
    result_mode: str = ""
    # What the shopper can do about it: "full_body" = a photo showing more of them would allow it.
    needs: str = ""

    @property
    def is_pending(self) -> bool:
        return self.status in ("analysing", "queued", "running")

    def as_dict(self) -> dict:
        return {
            "product_id": self.product_id,
            "status": self.status,
            "card_url": self.card_url,
            "image_url": self.image_url,
            "reason": self.reason,
            "render_id": self.render_id,
            "result_mode": self.result_mode,
            "needs": self.needs,
        }


@dataclass
class ShopperState:
    """The shopper's photo and whether renders can be made from it."""

    state: str  # anonymous | no_photo | analysing | unusable | ready
    reason: str = ""
    photo: ReferencePhoto | None = None
    findings: list[dict] = field(default_factory=list)
    # no_photo only: the shopper has photos, none of them the main one (none usable, or none chosen).
    has_photos: bool = False

    @property
    def active(self) -> bool:
        return self.state in ("analysing", "ready")


def shopper_state(*, user) -> ShopperState:
    if not getattr(user, "is_authenticated", False):
        return ShopperState(state="anonymous")
    photo = shopper_photo(user)
    if photo is None:
        return _shopper_without_main_photo(user)
    state, reason = photo_readiness(photo)
    analysis = getattr(photo, "tryon_analysis", None) if photo else None
    return ShopperState(
        state=state, reason=reason, photo=photo, findings=list(analysis.findings) if analysis else []
    )


def _shopper_without_main_photo(user) -> ShopperState:
    latest = (
        ReferencePhoto.objects.filter(user=user)
        .select_related("tryon_analysis")
        .order_by("-created_at", "-id")
        .first()
    )
    state, reason = photo_readiness(None)
    if latest is None:
        return ShopperState(state=state, reason=reason)
    usability = photo_usability(photo=latest)
    if usability.usable:
        reason = "Choose your main photo to see the catalogue on you."
    else:
        reason = f"Your latest photo cannot be used for try-on: {usability.reason}"
    return ShopperState(state=state, reason=reason, has_photos=True)


# Why a render could not be made, by finding code: the photo the shopper would need instead.
PHOTO_NEEDS = {
    "pair_no_legs": (
        "full_body",
        "Needs a full-body photo: yours shows only your upper body, so this is the product photo.",
    ),
    "pair_no_hips": (
        "full_body",
        "Needs a photo down to at least your hips; this is the product photo.",
    ),
    "pair_no_shoulders": (
        "full_body",
        "Needs a photo showing both your shoulders; this is the product photo.",
    ),
    "pair_back_view": ("front", "Needs a photo taken from the front; this is the product photo."),
}
POSE_NOTES = {
    "pair_no_legs": "Your photo shows only your upper body, so this is the model wearing it, in your pose.",
}


def card_reason(*, status: str, reason_code: str, reason: str, result_mode: str) -> tuple[str, str]:
    """(sentence, needs) shown for a render: says what the card really shows and what would fix it."""
    if status == RenderStatus.UNAVAILABLE and reason_code in PHOTO_NEEDS:
        needs, sentence = PHOTO_NEEDS[reason_code]
        return sentence, needs
    if status == RenderStatus.DONE and result_mode == RenderMode.POSE and reason_code in POSE_NOTES:
        return POSE_NOTES[reason_code], "full_body"
    return reason, ""


def _url(field_file) -> str:
    return default_storage.url(field_file.name) if field_file else ""


def card_state_of(render: Render | None, product_id: int, shopper: ShopperState) -> CardState:
    if shopper.state == "analysing":
        return CardState(product_id=product_id, status="analysing")
    if shopper.state == "unusable":
        return CardState(product_id=product_id, status="unavailable", reason=shopper.reason)
    if render is None:
        return CardState(product_id=product_id, status="queued")
    reason, needs = card_reason(
        status=render.status,
        reason_code=render.reason_code,
        reason=render.reason,
        result_mode=render.result_mode,
    )
    return CardState(
        product_id=product_id,
        status=render.status,
        card_url=_url(render.card) if render.status == RenderStatus.DONE else "",
        image_url=_url(render.image) if render.status == RenderStatus.DONE else "",
        reason=reason,
        render_id=render.pk,
        result_mode=render.result_mode,
        needs=needs,
    )


def card_states(
    *, user, product_ids: Iterable[int], shopper: ShopperState | None = None, mode: str = RenderMode.TRYON
) -> dict[int, CardState]:
    """The state of each product's card for ``user`` (two queries, whatever the number of cards)."""
    shopper = shopper or shopper_state(user=user)
    product_ids = list(product_ids)
    if shopper.state in ("anonymous", "no_photo", "unusable"):
        # An unusable photo is explained once, in the catalogue bar, not again on every card.
        return {}
    renders: dict[int, Render] = {}
    if shopper.state == "ready":
        rows = Render.objects.filter(
            photo=shopper.photo, kind=RenderKind.CARD, mode=mode, product_id__in=product_ids
        ).order_by("created_at", "id")
        for render in rows:  # the newest wins
            renders[render.product_id] = render
    return {pid: card_state_of(renders.get(pid), pid, shopper) for pid in product_ids}


# How each render status counts in the shopper's progress; any other status is pending.
PROGRESS_SHOWN = frozenset({RenderStatus.DONE})
# Final, but the card shows the product photo: cannot be made, failed, or held back by the quality
# gate ("held_back", the gate's status).
PROGRESS_NOT_SHOWN = frozenset({RenderStatus.UNAVAILABLE, RenderStatus.FAILED, RenderStatus.HELD_BACK})


@dataclass
class Progress:
    """The catalogue prepared for the shopper: ``done + as_product_photos + pending == total``."""

    done: int  # a render is shown (on the shopper, or the model in their pose)
    finished: int  # done + shown as product photos (unavailable, failed, held back)
    total: int
    held_back: int = 0  # of the product photos: held back by the quality gate
    needs_full_body: int = 0  # of the product photos: a fuller photo of the shopper would allow them

    @property
    def as_product_photos(self) -> int:
        """Finished cards that show the product photo instead of a render."""
        return self.finished - self.done

    @property
    def pending(self) -> int:
        """Analysing, queued, running, or not asked for yet."""
        return max(0, self.total - self.finished)

    @property
    def complete(self) -> bool:
        return self.pending == 0

    def as_dict(self) -> dict:
        return {
            "done": self.done,
            "finished": self.finished,
            "total": self.total,
            "held_back": self.held_back,
            "as_product_photos": self.as_product_photos,
            "pending": self.pending,
            "complete": self.complete,
            "needs_full_body": self.needs_full_body,
        }


def render_progress(*, user, shopper: ShopperState | None = None) -> Progress:
    """'22 of 24 on you, 2 shown as product photos' over the active catalogue (products with a photo).

    Counts each product once, by its newest card render on the main photo: shown
    (``PROGRESS_SHOWN``), shown as a product photo (``PROGRESS_NOT_SHOWN``) or pending; the bar
    completes when nothing is pending any more.
    """
    shopper = shopper or shopper_state(user=user)
    total = Product.objects.filter(is_active=True, images__isnull=False).distinct().count()
    if shopper.state != "ready":
        return Progress(done=0, finished=0, total=total)
    rows = (
        Render.objects.filter(
            photo=shopper.photo,
            kind=RenderKind.CARD,
            mode=RenderMode.TRYON,
            product__is_active=True,
            product__images__isnull=False,
        )
        .distinct()
        .order_by("created_at", "id")
        .values_list("product_id", "status", "reason_code")
    )
    latest: dict[int, tuple[str, str]] = {}
    for product_id, status, reason_code in rows:  # the newest wins
        latest[product_id] = (status, reason_code)
    done = sum(1 for status, _ in latest.values() if status in PROGRESS_SHOWN)
    not_shown = [(status, code) for status, code in latest.values() if status in PROGRESS_NOT_SHOWN]
    return Progress(
        done=done,
        finished=done + len(not_shown),
        total=total,
        held_back=sum(1 for status, _ in not_shown if status == RenderStatus.HELD_BACK),
        needs_full_body=sum(1 for _, code in not_shown if PHOTO_NEEDS.get(code, ("",))[0] == "full_body"),
    )


def render_get_for_owner(*, user, render_id: int) -> Render | None:
    """A render of ``user``'s, or None (callers answer 404 for anybody else's)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Render.objects.filter(pk=render_id, owner=user)
        .select_related("product", "photo")
        .prefetch_related("garments__product_image__product")
        .first()
    )


def render_list_for_owner(*, user) -> QuerySet[Render]:
    return Render.objects.filter(owner=user).order_by("-created_at", "-id")


def product_render_for(*, user, product: Product, mode: str) -> Render | None:
    photo = shopper_photo(user)
    if photo is None:
        return None
    return (
        Render.objects.filter(photo=photo, kind=RenderKind.CARD, product=product, mode=mode)
        .order_by("-created_at", "-id")
        .first()
    )


def photo_analyses_for(*, photos: Iterable[ReferencePhoto]) -> dict[int, ReferencePhotoAnalysis]:
    ids = [p.pk for p in photos]
    return {a.photo_id: a for a in ReferencePhotoAnalysis.objects.filter(photo_id__in=ids)}


def tryon_file_owner(path: str) -> int | None:
    """Protected-media resolver for ``private/tryon/``: the owner's id, or None (nobody).

    Renders and analysis files of reference photos belong to their shopper; analysis files of
    product images are shown to staff in the admin inline, never through a URL.
    """
    if path.startswith("private/tryon/renders/"):
        return Render.objects.filter(Q(image=path) | Q(card=path)).values_list("owner_id", flat=True).first()
    if path.startswith("private/tryon/analysis/photo/"):
        return (
            ReferencePhotoAnalysis.objects.filter(Q(data=path) | Q(skeleton=path) | Q(parsing_overlay=path))
            .values_list("owner_id", flat=True)
            .first()
        )
    return None


def photo_usability(*, photo: ReferencePhoto) -> PhotoUsability:
    """Whether the photo can carry try-on (from the analysis cached on ``photo.tryon_analysis``)."""
    state, reason = photo_readiness(photo)
    analysis = getattr(photo, "tryon_analysis", None)
    warnings = []
    if state == "ready" and analysis is not None:
        warnings = [f["message"] for f in analysis.findings or [] if f.get("severity") == "warning"]
    return PhotoUsability(
        photo=photo,
        state=state,
        reason=reason,
        warnings=warnings,
        status=analysis.status if analysis is not None else AnalysisStatus.PENDING,
        findings=list(analysis.findings or []) if analysis is not None else [],
    )


def photos_usability(*, photos: Iterable[ReferencePhoto]) -> list[PhotoUsability]:
    """Each photo with its usability, in the given order (one query for the analyses, read afresh).

    Registered as the accounts app's photo checker (``TryonConfig.ready``)."""
    photos = list(photos)
    analyses = photo_analyses_for(photos=photos)
    relation = ReferencePhoto._meta.get_field("tryon_analysis")
    for photo in photos:
        relation.set_cached_value(photo, analyses.get(photo.pk))
    return [photo_usability(photo=photo) for photo in photos]


def primary_photo_candidates(*, user, exclude_ids: Iterable[int] = ()) -> list[PhotoUsability]:
    """The shopper's photos that may become the main photo, best first (one query).

    Photos that cannot carry try-on (no person found, or an error finding) are left out. Checked
    photos come before those still being checked, fewer warnings before more, newer before older.
    """
    photos = (
        ReferencePhoto.objects.filter(user=user)
        .exclude(pk__in=list(exclude_ids))
        .select_related("tryon_analysis")
        .order_by("-created_at", "-id")
    )
    candidates = [u for u in (photo_usability(photo=p) for p in photos) if u.usable]
    # sorted() is stable: within a rank the newest (query order) stays first.
    return sorted(candidates, key=lambda u: (u.state != "ready", len(u.warnings)))


def analysis_is_usable(analysis) -> bool:
    return analysis is not None and analysis.status == AnalysisStatus.DONE


def renders_for_owner(*, user, render_ids: Iterable[int]) -> list[Render]:
    ids = list(render_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return []
    return list(Render.objects.filter(owner=user, pk__in=ids).order_by("id"))
