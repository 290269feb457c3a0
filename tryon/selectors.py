"""Read-side of the try-on pipeline: card states, progress, ownership of files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet

from accounts.models import ReferencePhoto
from catalog.models import Product
from tryon.models import AnalysisStatus, ReferencePhotoAnalysis, Render, RenderKind, RenderMode, RenderStatus
from tryon.services import photo_readiness, shopper_photo


@dataclass
class CardState:
    """What one catalogue card shows for the signed-in shopper."""

    product_id: int
    status: str  # none | analysing | queued | running | done | failed | unavailable
    card_url: str = ""
    image_url: str = ""
    reason: str = ""
    render_id: int | None = None
    result_mode: str = ""

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
        }


@dataclass
class ShopperState:
    """The shopper's photo and whether renders can be made from it."""

    state: str  # anonymous | no_photo | analysing | unusable | ready
    reason: str = ""
    photo: ReferencePhoto | None = None
    findings: list[dict] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.state in ("analysing", "ready")


def shopper_state(*, user) -> ShopperState:
    if not getattr(user, "is_authenticated", False):
        return ShopperState(state="anonymous")
    photo = shopper_photo(user)
    state, reason = photo_readiness(photo)
    analysis = getattr(photo, "tryon_analysis", None) if photo else None
    return ShopperState(
        state=state, reason=reason, photo=photo, findings=list(analysis.findings) if analysis else []
    )


def _url(field_file) -> str:
    return default_storage.url(field_file.name) if field_file else ""


def card_state_of(render: Render | None, product_id: int, shopper: ShopperState) -> CardState:
    if shopper.state == "analysing":
        return CardState(product_id=product_id, status="analysing")
    if shopper.state == "unusable":
        return CardState(product_id=product_id, status="unavailable", reason=shopper.reason)
    if render is None:
        return CardState(product_id=product_id, status="queued")
    return CardState(
        product_id=product_id,
        status=render.status,
        card_url=_url(render.card) if render.status == RenderStatus.DONE else "",
        image_url=_url(render.image) if render.status == RenderStatus.DONE else "",
        reason=render.reason,
        render_id=render.pk,
        result_mode=render.result_mode,
    )


def card_states(
    *, user, product_ids: Iterable[int], shopper: ShopperState | None = None, mode: str = RenderMode.TRYON
) -> dict[int, CardState]:
    """The state of each product's card for ``user`` (two queries, whatever the number of cards)."""
    shopper = shopper or shopper_state(user=user)
    product_ids = list(product_ids)
    if shopper.state in ("anonymous", "no_photo"):
        return {}
    renders: dict[int, Render] = {}
    if shopper.state == "ready":
        rows = Render.objects.filter(
            photo=shopper.photo, kind=RenderKind.CARD, mode=mode, product_id__in=product_ids
        ).order_by("created_at", "id")
        for render in rows:  # the newest wins
            renders[render.product_id] = render
    return {pid: card_state_of(renders.get(pid), pid, shopper) for pid in product_ids}


@dataclass
class Progress:
    done: int
    finished: int  # done + unavailable + failed
    total: int

    def as_dict(self) -> dict:
        return {"done": self.done, "finished": self.finished, "total": self.total}


def render_progress(*, user, shopper: ShopperState | None = None) -> Progress:
    """'Rendered on you: done of total' over the active catalogue (products that have a photo)."""
    shopper = shopper or shopper_state(user=user)
    total = Product.objects.filter(is_active=True, images__isnull=False).distinct().count()
    if shopper.state != "ready":
        return Progress(done=0, finished=0, total=total)
    final = [RenderStatus.DONE, RenderStatus.FAILED, RenderStatus.UNAVAILABLE]
    counts = Render.objects.filter(  # counted by the database: no row per product comes back
        photo=shopper.photo, kind=RenderKind.CARD, mode=RenderMode.TRYON, product__is_active=True
    ).aggregate(
        done=Count("product_id", filter=Q(status=RenderStatus.DONE), distinct=True),
        finished=Count("product_id", filter=Q(status__in=final), distinct=True),
    )
    return Progress(done=counts["done"], finished=counts["finished"], total=total)


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


def analysis_is_usable(analysis) -> bool:
    return analysis is not None and analysis.status == AnalysisStatus.DONE


def renders_for_owner(*, user, render_ids: Iterable[int]) -> list[Render]:
    ids = list(render_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return []
    return list(Render.objects.filter(owner=user, pk__in=ids).order_by("id"))
