"""Creating renders: the shopper's card queue (ensure/invalidate), on-demand requests, retries."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ReferencePhoto
from catalog.models import Product, ProductImage
from ml import pipeline
from tryon.models import (
    AnalysisStatus,
    Render,
    RenderGarment,
    RenderKind,
    RenderMode,
    RenderStatus,
)
from tryon.services.analyses import reference_photo_schedule_analysis, schedule_missing_product_analyses
from tryon.services.common import (
    LAYER_ORDER,
    OUTFIT_SLOTS,
    enabled_renderers,
    enqueue_on_commit,
    page_size,
    render_batch_size,
    render_chains,
    renderer_for,
)
from tryon.services.keys import garment_image_pick, image_field, render_cache_key
from tryon.services.leases import max_attempts


@dataclass
class EnsureResult:
    state: str  # no_photo | analysing | unusable | ready
    photo_id: int | None = None
    created: int = 0
    replaced: int = 0
    queued: int = 0
    reason: str = ""


def shopper_photo(user) -> ReferencePhoto | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return ReferencePhoto.objects.filter(user=user, is_primary=True).select_related("tryon_analysis").first()


def photo_readiness(photo: ReferencePhoto | None) -> tuple[str, str]:
    """(state, reason) of a shopper photo for rendering."""
    if photo is None:
        return "no_photo", "Upload a photo of yourself to see the catalogue on you."
    analysis = getattr(photo, "tryon_analysis", None)
    if analysis is None or (
        analysis.source_hash != photo.content_hash and analysis.status == AnalysisStatus.DONE
    ):
        return "analysing", "Your photo is being analysed."
    if analysis.status in (AnalysisStatus.PENDING, AnalysisStatus.RUNNING):
        return "analysing", "Your photo is being analysed."
    if analysis.status == AnalysisStatus.FAILED:
        return "unusable", analysis.failure_reason or "Your photo could not be analysed."
    errors = [f["message"] for f in analysis.findings if f.get("severity") == "error"]
    if errors:
        return "unusable", " ".join(errors)
    return "ready", ""


def reference_photo_primary_changed(*, photo: ReferencePhoto) -> EnsureResult:
    """The shopper chose ``photo`` as their primary photo: queue its cards right away.

    When its analysis is still running, nothing is queued now: the analysis task queues the
    cards when it finishes (the photo is primary by then). The previous primary photo's renders
    stay: they are its cache if the shopper switches back, and go when that photo is deleted.
    """
    return renders_ensure_for_shopper(user=photo.user)


def _catalogue_images(product_ids: Iterable[int] | None) -> list[dict]:
    queryset = ProductImage.objects.filter(product__is_active=True)
    if product_ids is not None:
        queryset = queryset.filter(product_id__in=list(product_ids))
    return list(
        queryset.values(
            "id",
            "product_id",
            "role",
            "order",
            "content_hash",
            "product__garment_kind",
            "product__created_at",
        )
    )


def first_page_product_ids() -> list[int]:
    from catalog.selectors import product_list

    return list(product_list().values_list("id", flat=True)[: page_size()])


@transaction.atomic
@dataclass
class _WantedCards:
    """The card each product should have: its cache key, its product image and its renderer."""

    order: list[int]  # product ids, newest product first
    keys: dict[int, str]
    images: dict[int, dict]
    renderers: dict[int, pipeline.RendererChoice]


def _wanted_cards(photo, *, product_ids: Iterable[int] | None, mode: str) -> _WantedCards:
    choices = enabled_renderers()
    by_product: dict[int, list[dict]] = {}
    meta: dict[int, dict] = {}
    for row in _catalogue_images(product_ids):
        by_product.setdefault(row["product_id"], []).append(row)
        meta[row["product_id"]] = row
    order = sorted(by_product, key=lambda pid: (meta[pid]["product__created_at"], pid), reverse=True)
    wanted = _WantedCards(order=order, keys={}, images={}, renderers={})
    for product_id in order:
        choice = renderer_for(
            choices,
            kinds=[meta[product_id]["product__garment_kind"]],
            mode=mode,
            roles=[{image_field(i, "role") for i in by_product[product_id]}],
        )
        image = garment_image_pick(by_product[product_id], renderer=choice.name, mode=mode)
        if image is None:  # pose mode and no on-model photo: the product has no such card
            continue
        wanted.keys[product_id] = render_cache_key(
            photo_id=photo.pk,
            photo_hash=photo.content_hash,
            garments=[(image["id"], image["content_hash"])],
            mode=mode,
            renderer=choice.name,
            version=choice.version,
        )
        wanted.images[product_id] = image
        wanted.renderers[product_id] = choice
    return wanted


def _delete_stale_cards(
    photo, wanted: _WantedCards, *, mode: str, limited: bool
) -> tuple[set[str], list[int]]:
    """Delete the photo's cards made for another key (older photo, image or renderer version);
    returns the keys the photo's cards have and the ids deleted."""
    existing = Render.objects.filter(photo=photo, kind=RenderKind.CARD, mode=mode)
    if limited:
        existing = existing.filter(product_id__in=list(wanted.keys))
    rows = list(existing.values_list("id", "product_id", "cache_key"))
    stale = [rid for rid, pid, key in rows if pid in wanted.keys and wanted.keys[pid] != key]
    if stale:
        Render.objects.filter(pk__in=stale).delete()
    return {key for _, _, key in rows}, stale


def _create_cards(
    photo, wanted: _WantedCards, missing: list[int], *, mode: str, page: set[int], priority: int
) -> None:
    Render.objects.bulk_create(
        [
            Render(
                owner_id=photo.user_id,
                photo=photo,
                photo_hash=photo.content_hash,
                kind=RenderKind.CARD,
                product_id=pid,
                mode=mode,
                renderer=wanted.renderers[pid].name,
                renderer_version=wanted.renderers[pid].version,
                cache_key=wanted.keys[pid],
                priority=priority if pid in page else 0,
            )
            for pid in missing
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    if not missing:
        return
    ids = dict(
        Render.objects.filter(cache_key__in=[wanted.keys[pid] for pid in missing]).values_list(
            "cache_key", "id"
        )
    )
    RenderGarment.objects.bulk_create(
        [
            RenderGarment(
                render_id=ids[wanted.keys[pid]],
                product_image_id=wanted.images[pid]["id"],
                position=0,
                content_hash=wanted.images[pid]["content_hash"],
            )
            for pid in missing
            if wanted.keys[pid] in ids
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def _move_ahead_and_requeue(photo, *, page: set[int], priority: int) -> tuple[int, int]:
    """Put the page's queued cards first, and queue again cards whose worker is gone; the counts."""
    bumped = 0
    if page:
        bumped = Render.objects.filter(
            photo=photo, status=RenderStatus.QUEUED, product_id__in=page, priority__lt=priority
        ).update(priority=priority)
    requeued = Render.objects.filter(  # a lease nobody renews: its worker is gone (tryon.services.leases)
        photo=photo,
        status=RenderStatus.RUNNING,
        lease_expires_at__lt=timezone.now(),
        attempts__lt=max_attempts(),  # beyond that the sweeper sets it aside
    ).update(status=RenderStatus.QUEUED, claim="", lease_expires_at=None)
    return bumped, requeued


def renders_ensure_for_shopper(
    *,
    user,
    page_product_ids: Sequence[int] | None = None,
    product_ids: Iterable[int] | None = None,
    mode: str = RenderMode.TRYON,
) -> EnsureResult:
    """Create the shopper's missing card renders and queue them; the page they look at first.

    ``page_product_ids`` get the highest priority (the newest visit wins); when omitted, the
    catalogue's first page does. ``product_ids`` limits the work to some products (a changed
    product image). Stale renders (older photo, product image or renderer version) are replaced.
    A constant number of queries, whatever the size of the catalogue.
    """
    photo = shopper_photo(user)
    state, reason = photo_readiness(photo)
    if state == "analysing" and photo is not None and getattr(photo, "tryon_analysis", None) is None:
        reference_photo_schedule_analysis(photo=photo)
    if state != "ready":
        return EnsureResult(state=state, photo_id=photo.pk if photo else None, reason=reason)

    if page_product_ids is None and product_ids is None:
        page_product_ids = first_page_product_ids()
    page = set(page_product_ids or ())
    wanted = _wanted_cards(photo, product_ids=product_ids, mode=mode)
    have_keys, stale = _delete_stale_cards(photo, wanted, mode=mode, limited=product_ids is not None)
    schedule_missing_product_analyses([image["id"] for image in wanted.images.values()])

    priority = int(time.time())
    missing = [pid for pid in wanted.order if pid in wanted.keys and wanted.keys[pid] not in have_keys]
    _create_cards(photo, wanted, missing, mode=mode, page=page, priority=priority)
    bumped, requeued = _move_ahead_and_requeue(photo, page=page, priority=priority)
    queued = Render.objects.filter(photo=photo, status=RenderStatus.QUEUED).count()
    if queued and (missing or bumped or requeued):
        chains = min(render_chains(), max(1, math.ceil(len(missing) / render_batch_size())))
        schedule_render_drain(photo_id=photo.pk, chains=chains)
    return EnsureResult(
        state="ready", photo_id=photo.pk, created=len(missing), replaced=len(stale), queued=queued
    )


def schedule_render_drain(*, photo_id: int, chains: int = 1) -> None:
    from tryon.tasks import render_pending

    for _ in range(chains):
        enqueue_on_commit(render_pending, photo_id)


def renders_invalidate_for_product_image(*, product_image: ProductImage) -> int:
    """Replace the cards made from an older version of this image by queued ones (same shoppers)."""
    from accounts.models import User

    stale = list(
        Render.objects.filter(
            garments__product_image=product_image,
        )
        .exclude(garments__content_hash=product_image.content_hash)
        .values_list("pk", flat=True)
    )
    owners = set(
        Render.objects.filter(kind=RenderKind.CARD, product_id=product_image.product_id).values_list(
            "owner_id", flat=True
        )
    )
    count = len(stale)
    if stale:
        Render.objects.filter(pk__in=stale).delete()
    for user in User.objects.filter(pk__in=owners):
        renders_ensure_for_shopper(user=user, product_ids=[product_image.product_id])
    return count


def renders_kick_waiting_on(*, product_image_id: int) -> None:
    """After a product image's analysis: wake the render queues of shoppers waiting on it."""
    photo_ids = set(
        Render.objects.filter(status=RenderStatus.QUEUED, garments__product_image_id=product_image_id)
        .values_list("photo_id", flat=True)
        .distinct()
    )
    for photo_id in photo_ids:
        schedule_render_drain(photo_id=photo_id)


@transaction.atomic
def render_request(*, user, product_ids: Sequence[int], mode: str = RenderMode.TRYON) -> Render:
    """One render on demand: a product in a mode (a card), or several products (an outfit).

    Returns the existing render for the same key (a duplicate request creates nothing).
    Raises ``ValueError`` with a sentence for a request that cannot be made.
    """
    photo = shopper_photo(user)
    state, reason = photo_readiness(photo)
    if state != "ready":
        raise ValueError(reason)
    product_ids = list(dict.fromkeys(int(p) for p in product_ids))
    if not product_ids:
        raise ValueError("Choose at least one product.")
    products = {
        p.pk: p for p in Product.objects.filter(pk__in=product_ids, is_active=True).prefetch_related("images")
    }
    if len(products) != len(product_ids):
        raise ValueError("One of these products does not exist.")
    kind = RenderKind.CARD if len(product_ids) == 1 else RenderKind.OUTFIT
    if kind == RenderKind.OUTFIT:
        outfit_validate([products[p].garment_kind for p in product_ids])
        product_ids.sort(key=lambda p: (LAYER_ORDER.get(products[p].garment_kind, 1), p))
    choice = renderer_for(
        enabled_renderers(),
        kinds=[products[pid].garment_kind for pid in product_ids],
        mode=mode,
        roles=[{i.role for i in products[pid].images.all()} for pid in product_ids],
    )
    images = []
    for pid in product_ids:
        image = garment_image_pick(list(products[pid].images.all()), renderer=choice.name, mode=mode)
        if image is None and mode == RenderMode.POSE:
            raise ValueError(f"{products[pid].name} has no photo of a model wearing it to show in your pose.")
        if image is None:
            raise ValueError(f"{products[pid].name} has no photo to try on.")
        images.append(image)
    key = render_cache_key(
        photo_id=photo.pk,
        photo_hash=photo.content_hash,
        garments=[(i.pk, i.content_hash) for i in images],
        mode=mode,
        renderer=choice.name,
        version=choice.version,
    )
    existing = Render.objects.filter(cache_key=key).first()
    if existing is not None:
        if existing.status == RenderStatus.QUEUED:
            Render.objects.filter(pk=existing.pk).update(priority=int(time.time()) + 1)
            schedule_render_drain(photo_id=photo.pk)
        return existing
    try:
        with transaction.atomic():
            render = Render(
                owner_id=photo.user_id,
                photo=photo,
                photo_hash=photo.content_hash,
                kind=kind,
                product_id=product_ids[0] if kind == RenderKind.CARD else None,
                mode=mode,
                renderer=choice.name,
                renderer_version=choice.version,
                cache_key=key,
                priority=int(time.time()) + 1,
            )
            # Uniqueness of cache_key is left to the database: a concurrent twin raises IntegrityError.
            render.full_clean(validate_unique=False, validate_constraints=False)
            render.save()
            RenderGarment.objects.bulk_create(
                [
                    RenderGarment(render=render, product_image=i, position=n, content_hash=i.content_hash)
                    for n, i in enumerate(images)
                ]
            )
    except IntegrityError:  # the same request won a race
        return Render.objects.get(cache_key=key)
    schedule_missing_product_analyses([i.pk for i in images])
    schedule_render_drain(photo_id=photo.pk)
    return render


def outfit_validate(kinds: Sequence[str]) -> None:
    if len(kinds) > 3:
        raise ValueError("An outfit has at most three pieces.")
    if len(set(kinds)) != len(kinds):
        raise ValueError("An outfit takes one product of each kind.")
    for a in kinds:
        for b in kinds:
            if a != b and b not in OUTFIT_SLOTS.get(a, set()):
                raise ValueError(f"A {a} and a {b} cannot be worn together here; try a top and a bottom.")


def render_retry(*, render: Render) -> Render:
    Render.objects.filter(pk=render.pk).exclude(status=RenderStatus.RUNNING).update(
        status=RenderStatus.QUEUED, reason="", reason_code="", priority=int(time.time()) + 1, claim=""
    )
    schedule_render_drain(photo_id=render.photo_id)
    render.refresh_from_db()
    return render


def renders_delete_for_renderer_other_than(*, name: str, version: str) -> int:
    """Operator clean-up after a renderer upgrade (renders are also replaced lazily on visits)."""
    count, _ = Render.objects.filter(~Q(renderer=name) | ~Q(renderer_version=version)).delete()
    return count
