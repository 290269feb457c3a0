"""Business logic of the try-on pipeline: analyses, renders, invalidation, the render queue.

Celery tasks, views, the API, the admin and the catalogue/account services call these. All
calls into ``ml`` go through :mod:`tryon.engine`; every ml error ends as a stored status and a
sentence, never as an exception in a worker.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ReferencePhoto
from catalog.models import Product, ProductImage
from ml.errors import MLError
from ml.types import PhotoAnalysis
from tryon import engine
from tryon.models import (
    AnalysisStatus,
    ProductImageAnalysis,
    ReferencePhotoAnalysis,
    Render,
    RenderGarment,
    RenderKind,
    RenderMode,
    RenderStatus,
)
from tryon.receivers import delete_files_on_commit

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=10)
OUTFIT_SLOTS = {
    # kind -> the kinds it may be combined with
    "top": {"bottom", "outerwear"},
    "bottom": {"top", "outerwear"},
    "dress": {"outerwear"},
    "outerwear": {"top", "bottom", "dress"},
}
# Garments are layered in this order (inner first).
LAYER_ORDER = {"bottom": 0, "top": 1, "dress": 1, "full_outfit": 1, "outerwear": 2}


def render_batch_size() -> int:
    return max(1, int(getattr(settings, "TRYON_RENDER_BATCH", 6)))


def render_chains() -> int:
    return max(1, int(getattr(settings, "TRYON_RENDER_CHAINS", 2)))


def current_renderer(*, instantiate: bool = False) -> engine.RendererChoice:
    return engine.choose_renderer(
        getattr(settings, "TRYON_RENDERER", engine.DEFAULT_RENDERER), instantiate=instantiate
    )


def page_size() -> int:
    return int(getattr(settings, "CATALOG_PAGE_SIZE", 12))


# --------------------------------------------------------------------------- keys


def render_cache_key(
    *,
    photo_id: int,
    photo_hash: str,
    garments: Sequence[tuple[int, str]],
    mode: str,
    renderer: str,
    version: str,
) -> str:
    """sha256 over everything a render's pixels depend on."""
    raw = json.dumps(
        {
            "photo": [photo_id, photo_hash],
            "garments": [list(g) for g in garments],
            "mode": mode,
            "renderer": [renderer, version],
        },
        sort_keys=True,
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def garment_image_pick(images: Iterable[dict | ProductImage], *, renderer: str) -> dict | ProductImage | None:
    """The product image a render is made from.

    ADGAN transfers from a person, so it takes the on-model photo first; the warp renderer
    drapes a flat garment, so it takes a packshot first. Either falls back to the other role.
    """

    def field(item, name):
        return item[name] if isinstance(item, dict) else getattr(item, name)

    ordered = sorted(images, key=lambda i: (field(i, "order"), field(i, "id")))
    roles = ("on_model", "packshot") if renderer == "adgan" else ("packshot", "on_model")
    for role in roles:
        for item in ordered:
            if field(item, "role") == role:
                return item
    return None


# --------------------------------------------------------------------------- analyses: scheduling


def _enqueue(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


@transaction.atomic
def product_image_schedule_analysis(
    *, product_image: ProductImage, force: bool = False
) -> ProductImageAnalysis:
    """Make sure ``product_image`` has a current analysis, scheduling one when needed.

    Called by the catalogue services on create/replace (and by the admin's "re-analyse" with
    ``force``). Renders made from an older version of the image are replaced by queued ones.
    """
    from tryon.tasks import analyse_product_image

    analysis, created = ProductImageAnalysis.objects.get_or_create(product_image=product_image)
    current = analysis.status == AnalysisStatus.DONE and analysis.source_hash == product_image.content_hash
    if current and not force:
        return analysis
    if not created:
        ProductImageAnalysis.objects.filter(pk=analysis.pk).update(
            status=AnalysisStatus.PENDING, failure_code="", failure_reason="", updated_at=timezone.now()
        )
        analysis.refresh_from_db()
    renders_invalidate_for_product_image(product_image=product_image)
    _enqueue(analyse_product_image, product_image.pk)
    return analysis


@transaction.atomic
def reference_photo_schedule_analysis(
    *, photo: ReferencePhoto, force: bool = False
) -> ReferencePhotoAnalysis:
    """Same for a shopper's reference photo; its renders of an older version of it are deleted."""
    from tryon.tasks import analyse_reference_photo

    analysis, created = ReferencePhotoAnalysis.objects.get_or_create(
        photo=photo, defaults={"owner_id": photo.user_id}
    )
    Render.objects.filter(photo=photo).exclude(photo_hash=photo.content_hash).delete()
    current = analysis.status == AnalysisStatus.DONE and analysis.source_hash == photo.content_hash
    if current and not force:
        return analysis
    if not created:
        ReferencePhotoAnalysis.objects.filter(pk=analysis.pk).update(
            status=AnalysisStatus.PENDING, failure_code="", failure_reason="", updated_at=timezone.now()
        )
        analysis.refresh_from_db()
    if force:
        Render.objects.filter(photo=photo).delete()
    _enqueue(analyse_reference_photo, photo.pk)
    return analysis


def reference_photo_cleanup(*, photo: ReferencePhoto) -> int:
    """Delete the photo's renders and analysis with their files (before the photo goes)."""
    count, _ = Render.objects.filter(photo=photo).delete()
    ReferencePhotoAnalysis.objects.filter(photo=photo).delete()
    return count


def product_image_cleanup(*, product_image: ProductImage) -> int:
    count, _ = Render.objects.filter(garments__product_image=product_image).delete()
    ProductImageAnalysis.objects.filter(product_image=product_image).delete()
    return count


# --------------------------------------------------------------------------- analyses: running


def _save_file(prefix: str, name: str, data: bytes | None) -> str:
    if not data:
        return ""
    return default_storage.save(f"{prefix}/{uuid.uuid4().hex[:10]}-{name}", ContentFile(data))


def _store_analysis(
    model, pk: int, prefix: str, output: engine.AnalysisOutput, source_hash: str, started: float
):
    names = {
        "data": _save_file(prefix, "analysis.npz", output.data),
        "skeleton": _save_file(prefix, "skeleton.png", output.skeleton_png),
        "parsing_overlay": _save_file(prefix, "parsing.png", output.parsing_png),
    }
    old = model.objects.filter(pk=pk).first()
    if old is None:
        delete_files_on_commit(list(names.values()))
        return False
    old_names = old.file_names()
    model.objects.filter(pk=pk).update(
        status=AnalysisStatus.DONE,
        failure_code="",
        failure_reason="",
        analyzer_version=output.analyzer_version,
        source_hash=source_hash,
        extras_for=output.extras_for,
        metadata=output.metadata,
        findings=output.findings,
        duration_ms=int((time.perf_counter() - started) * 1000),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
        **names,
    )
    delete_files_on_commit([n for n in old_names if n not in names.values()])
    return True


def _fail_analysis(model, pk: int, *, code: str, reason: str, source_hash: str, started: float) -> None:
    model.objects.filter(pk=pk).update(
        status=AnalysisStatus.FAILED,
        failure_code=code,
        failure_reason=reason,
        source_hash=source_hash,
        duration_ms=int((time.perf_counter() - started) * 1000),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _read(field_file) -> bytes:
    with default_storage.open(field_file.name, "rb") as handle:
        return handle.read()


def _run_analysis(run) -> tuple[engine.AnalysisOutput | None, str, str]:
    try:
        return run(), "", ""
    except MLError as error:
        return None, error.code, error.message
    except FileNotFoundError:
        return None, "missing_file", "The image file is missing from storage."
    except Exception as error:
        logger.exception("analysis failed")
        return (
            None,
            "internal_error",
            f"The analysis failed because of an internal error ({type(error).__name__}).",
        )


def product_image_analyse(*, product_image_id: int) -> ProductImageAnalysis | None:
    """Analyse one product image (task body). Quiet when the image is gone; idempotent."""
    image = ProductImage.objects.select_related("product").filter(pk=product_image_id).first()
    if image is None:
        return None
    analysis, _ = ProductImageAnalysis.objects.get_or_create(product_image=image)
    is_packshot = image.role == ProductImage.Role.PACKSHOT
    choice = None
    if analysis.status == AnalysisStatus.DONE and analysis.source_hash == image.content_hash:
        return analysis
    started = time.perf_counter()
    ProductImageAnalysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.RUNNING, attempts=analysis.attempts + 1, updated_at=timezone.now()
    )
    twin = (
        ProductImageAnalysis.objects.filter(source_hash=image.content_hash, status=AnalysisStatus.DONE)
        .filter(
            product_image__role=image.role, product_image__product__garment_kind=image.product.garment_kind
        )
        .exclude(pk=analysis.pk)
        .exclude(data="")
        .first()
    )

    def run() -> engine.AnalysisOutput:
        if twin is not None:  # the same bytes were analysed for another product: reuse
            return engine.AnalysisOutput(
                data=_read(twin.data),
                metadata=twin.metadata,
                findings=twin.findings,
                analyzer_version=twin.analyzer_version,
                skeleton_png=_read(twin.skeleton) if twin.skeleton else None,
                parsing_png=_read(twin.parsing_overlay) if twin.parsing_overlay else None,
                extras_for=twin.extras_for,
            )
        data = _read(image.image)
        if is_packshot:
            return engine.analyse_packshot(data, kind=image.product.garment_kind, landmarks=image.landmarks)
        nonlocal choice
        choice = current_renderer(instantiate=True)
        return engine.analyse_person_photo(data, renderer=choice)

    output, code, reason = _run_analysis(run)
    still_current = ProductImage.objects.filter(pk=image.pk, content_hash=image.content_hash).exists()
    if not still_current:
        return None  # replaced or deleted meanwhile: the newer task does the work
    prefix = f"private/tryon/analysis/product/{image.pk}"
    if output is None:
        _fail_analysis(
            ProductImageAnalysis,
            analysis.pk,
            code=code,
            reason=reason,
            source_hash=image.content_hash,
            started=started,
        )
    else:
        _store_analysis(ProductImageAnalysis, analysis.pk, prefix, output, image.content_hash, started)
    renders_kick_waiting_on(product_image_id=image.pk)
    return ProductImageAnalysis.objects.filter(pk=analysis.pk).first()


def reference_photo_analyse(*, photo_id: int) -> ReferencePhotoAnalysis | None:
    """Analyse one shopper photo (task body); then queue the whole catalogue for a primary photo."""
    photo = ReferencePhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return None
    analysis, _ = ReferencePhotoAnalysis.objects.get_or_create(
        photo=photo, defaults={"owner_id": photo.user_id}
    )
    if not (analysis.status == AnalysisStatus.DONE and analysis.source_hash == photo.content_hash):
        started = time.perf_counter()
        ReferencePhotoAnalysis.objects.filter(pk=analysis.pk).update(
            status=AnalysisStatus.RUNNING, attempts=analysis.attempts + 1, updated_at=timezone.now()
        )

        def run() -> engine.AnalysisOutput:
            return engine.analyse_person_photo(
                _read(photo.image), renderer=current_renderer(instantiate=True)
            )

        output, code, reason = _run_analysis(run)
        if not ReferencePhoto.objects.filter(pk=photo.pk, content_hash=photo.content_hash).exists():
            return None
        prefix = f"private/tryon/analysis/photo/{photo.user_id}/{photo.pk}"
        if output is None:
            _fail_analysis(
                ReferencePhotoAnalysis,
                analysis.pk,
                code=code,
                reason=reason,
                source_hash=photo.content_hash,
                started=started,
            )
        else:
            _store_analysis(ReferencePhotoAnalysis, analysis.pk, prefix, output, photo.content_hash, started)
    photo.refresh_from_db()
    if photo.is_primary:
        renders_ensure_for_shopper(user=photo.user)
    return ReferencePhotoAnalysis.objects.filter(pk=analysis.pk).first()


# --------------------------------------------------------------------------- renders: creating


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

    choice = current_renderer()
    if page_product_ids is None and product_ids is None:
        page_product_ids = first_page_product_ids()
    page = set(page_product_ids or ())
    by_product: dict[int, list[dict]] = {}
    meta: dict[int, dict] = {}
    for row in _catalogue_images(product_ids):
        by_product.setdefault(row["product_id"], []).append(row)
        meta[row["product_id"]] = row
    order = sorted(by_product, key=lambda pid: (meta[pid]["product__created_at"], pid), reverse=True)
    wanted: dict[int, tuple[str, dict]] = {}
    for product_id in order:
        image = garment_image_pick(by_product[product_id], renderer=choice.name)
        key = render_cache_key(
            photo_id=photo.pk,
            photo_hash=photo.content_hash,
            garments=[(image["id"], image["content_hash"])],
            mode=mode,
            renderer=choice.name,
            version=choice.version,
        )
        wanted[product_id] = (key, image)

    existing = Render.objects.filter(photo=photo, kind=RenderKind.CARD, mode=mode)
    if product_ids is not None:
        existing = existing.filter(product_id__in=list(wanted))
    existing_rows = list(existing.values_list("id", "product_id", "cache_key"))
    have_keys = {key for _, _, key in existing_rows}
    stale = [rid for rid, pid, key in existing_rows if pid in wanted and wanted[pid][0] != key]
    if stale:
        Render.objects.filter(pk__in=stale).delete()

    _schedule_missing_product_analyses([image["id"] for _, image in wanted.values()])

    now_priority = int(time.time())
    missing = [pid for pid in order if wanted[pid][0] not in have_keys]
    renders = [
        Render(
            owner_id=photo.user_id,
            photo=photo,
            photo_hash=photo.content_hash,
            kind=RenderKind.CARD,
            product_id=pid,
            mode=mode,
            renderer=choice.name,
            renderer_version=choice.version,
            cache_key=wanted[pid][0],
            priority=now_priority if pid in page else 0,
        )
        for pid in missing
    ]
    Render.objects.bulk_create(renders, ignore_conflicts=True, batch_size=500)
    if missing:
        ids = dict(
            Render.objects.filter(cache_key__in=[wanted[pid][0] for pid in missing]).values_list(
                "cache_key", "id"
            )
        )
        RenderGarment.objects.bulk_create(
            [
                RenderGarment(
                    render_id=ids[wanted[pid][0]],
                    product_image_id=wanted[pid][1]["id"],
                    position=0,
                    content_hash=wanted[pid][1]["content_hash"],
                )
                for pid in missing
                if wanted[pid][0] in ids
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
    bumped = 0
    if page:
        bumped = Render.objects.filter(
            photo=photo, status=RenderStatus.QUEUED, product_id__in=page, priority__lt=now_priority
        ).update(priority=now_priority)
    requeued = Render.objects.filter(
        photo=photo, status=RenderStatus.RUNNING, started_at__lt=timezone.now() - STUCK_AFTER
    ).update(status=RenderStatus.QUEUED, claim="")
    queued = Render.objects.filter(photo=photo, status=RenderStatus.QUEUED).count()
    if queued and (missing or bumped or requeued):
        chains = min(render_chains(), max(1, math.ceil(len(missing) / render_batch_size())))
        schedule_render_drain(photo_id=photo.pk, chains=chains)
    return EnsureResult(
        state="ready", photo_id=photo.pk, created=len(missing), replaced=len(stale), queued=queued
    )


def _schedule_missing_product_analyses(image_ids: list[int]) -> None:
    from tryon.tasks import analyse_product_image

    have = set(
        ProductImageAnalysis.objects.filter(product_image_id__in=image_ids).values_list(
            "product_image_id", flat=True
        )
    )
    missing = [i for i in image_ids if i not in have]
    if missing:
        ProductImageAnalysis.objects.bulk_create(
            [ProductImageAnalysis(product_image_id=i) for i in missing], ignore_conflicts=True
        )
        for image_id in missing:
            _enqueue(analyse_product_image, image_id)


def schedule_render_drain(*, photo_id: int, chains: int = 1) -> None:
    from tryon.tasks import render_pending

    for _ in range(chains):
        _enqueue(render_pending, photo_id)


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
    choice = current_renderer()
    images = []
    for pid in product_ids:
        image = garment_image_pick(list(products[pid].images.all()), renderer=choice.name)
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
            render = Render.objects.create(
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
            RenderGarment.objects.bulk_create(
                [
                    RenderGarment(render=render, product_image=i, position=n, content_hash=i.content_hash)
                    for n, i in enumerate(images)
                ]
            )
    except IntegrityError:  # the same request won a race
        return Render.objects.get(cache_key=key)
    _schedule_missing_product_analyses([i.pk for i in images])
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


# --------------------------------------------------------------------------- renders: running


def _claim(photo_id: int, limit: int) -> tuple[str, list[Render]]:
    token = uuid.uuid4().hex
    waiting = [AnalysisStatus.PENDING, AnalysisStatus.RUNNING]
    candidates = list(
        Render.objects.filter(photo_id=photo_id, status=RenderStatus.QUEUED)
        .exclude(garments__product_image__tryon_analysis__status__in=waiting)
        .order_by("-priority", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not candidates:
        return token, []
    Render.objects.filter(pk__in=candidates, status=RenderStatus.QUEUED).update(
        status=RenderStatus.RUNNING, claim=token, started_at=timezone.now()
    )
    renders = list(
        Render.objects.filter(claim=token, status=RenderStatus.RUNNING)
        .prefetch_related("garments__product_image__tryon_analysis", "garments__product_image__product")
        .order_by("-priority", "id")
    )
    return token, renders


def _finish(render: Render, token: str, **fields) -> bool:
    fields.setdefault("finished_at", timezone.now())
    return bool(
        Render.objects.filter(pk=render.pk, claim=token).update(claim="", updated_at=timezone.now(), **fields)
    )


def _shopper_analysis(analysis: ReferencePhotoAnalysis) -> PhotoAnalysis:
    key = ("photo", analysis.pk, analysis.source_hash, analysis.data.name)
    return engine.shopper_cache.get(key, lambda: PhotoAnalysis.load(_read(analysis.data)))


def _garment_source(analysis: ProductImageAnalysis, kind: str):
    key = ("product", analysis.pk, analysis.source_hash, analysis.data.name)
    return engine.garment_cache.get(key, lambda: engine.decode_garment(_read(analysis.data), kind))


def renders_process_pending(*, photo_id: int, batch_size: int | None = None) -> int:
    """Claim the shopper's most urgent queued renders and make them in one renderer batch.

    Returns how many were claimed (0 when nothing is left: the caller's chain ends). Safe to run
    in several processes at once (each claims with its own token).
    """
    photo = ReferencePhoto.objects.select_related("tryon_analysis").filter(pk=photo_id).first()
    if photo is None:
        return 0
    token, renders = _claim(photo_id, batch_size or render_batch_size())
    if not renders:
        return 0
    state, reason = photo_readiness(photo)
    if state != "ready":
        for render in renders:
            if state == "analysing":
                _finish(render, token, status=RenderStatus.QUEUED, started_at=None, finished_at=None)
            else:
                _finish(
                    render,
                    token,
                    status=RenderStatus.UNAVAILABLE,
                    reason_code="photo_unusable",
                    reason=reason,
                )
        return len(renders)
    try:
        choice = current_renderer(instantiate=True)
        shopper = _shopper_analysis(photo.tryon_analysis)
    except Exception as error:
        message = (
            error.message if isinstance(error, MLError) else "The try-on service is not working right now."
        )
        if not isinstance(error, MLError):
            logger.exception("render setup failed")
        for render in renders:
            _finish(render, token, status=RenderStatus.FAILED, reason_code="setup_error", reason=message)
        return len(renders)

    jobs: list[tuple[Render, engine.CardJob]] = []
    for render in renders:
        job = _job_for(render, token, shopper, choice)
        if job is not None:
            jobs.append((render, job))
    started = time.perf_counter()
    outcomes = engine.render_jobs(choice.instance, [job for _, job in jobs]) if jobs else []
    elapsed = time.perf_counter() - started
    for (render, _), outcome in zip(jobs, outcomes, strict=True):
        _store_outcome(render, token, outcome, elapsed / max(1, len(jobs)))
    return len(renders)


def renders_drain(*, photo_id: int, budget_s: float | None = None) -> int:
    """Process the shopper's queue batch after batch for up to ``budget_s`` seconds (task body).

    Looping inside one task avoids a broker round trip per batch (the filesystem broker polls);
    each batch still claims the most urgent renders at that moment, so a newly visited page
    jumps ahead. When the budget is spent and renders remain, the task re-queues itself so that
    other shoppers' tasks get their turn.
    """
    budget = budget_s if budget_s is not None else float(getattr(settings, "TRYON_RENDER_TASK_BUDGET_S", 20))
    started = time.monotonic()
    total = 0
    while True:
        count = renders_process_pending(photo_id=photo_id)
        total += count
        if count == 0:
            return total
        if time.monotonic() - started >= budget:
            if Render.objects.filter(photo_id=photo_id, status=RenderStatus.QUEUED).exists():
                schedule_render_drain(photo_id=photo_id)
            return total


def _job_for(render: Render, token: str, shopper: PhotoAnalysis, choice: engine.RendererChoice):
    if (render.renderer, render.renderer_version) != (choice.name, choice.version):
        garments = [(g.product_image_id, g.content_hash) for g in render.garments.all()]
        key = render_cache_key(
            photo_id=render.photo_id,
            photo_hash=render.photo_hash,
            garments=garments,
            mode=render.mode,
            renderer=choice.name,
            version=choice.version,
        )
        try:
            with transaction.atomic():
                Render.objects.filter(pk=render.pk).update(
                    renderer=choice.name, renderer_version=choice.version, cache_key=key
                )
        except IntegrityError:  # that render exists already: this one is redundant
            Render.objects.filter(pk=render.pk).delete()
            return None
    sources = []
    for garment in render.garments.all():
        image = garment.product_image
        analysis = getattr(image, "tryon_analysis", None)
        if image.content_hash != garment.content_hash:
            _finish(render, token, status=RenderStatus.QUEUED, started_at=None, finished_at=None)
            return None
        if analysis is None or (
            analysis.source_hash != image.content_hash and analysis.status == AnalysisStatus.DONE
        ):
            _schedule_missing_product_analyses([image.pk])
            _finish(render, token, status=RenderStatus.QUEUED, started_at=None, finished_at=None)
            return None
        if analysis.status != AnalysisStatus.DONE:
            _finish(
                render,
                token,
                status=RenderStatus.UNAVAILABLE,
                reason_code="product_photo_unusable",
                reason="This product's photo could not be prepared for try-on; it is shown as photographed.",
            )
            return None
        try:
            sources.append(_garment_source(analysis, image.product.garment_kind))
        except Exception:
            logger.exception("garment analysis unreadable")
            _finish(
                render,
                token,
                status=RenderStatus.FAILED,
                reason_code="product_analysis_unreadable",
                reason="This product's analysis could not be read; it will be redone.",
            )
            return None
    return engine.CardJob(shopper=shopper, garments=tuple(sources), mode=render.mode)


def _store_outcome(render: Render, token: str, outcome: engine.CardOutcome, share: float) -> None:
    if not outcome.ok:
        _finish(
            render,
            token,
            status=RenderStatus.FAILED if outcome.failed else RenderStatus.UNAVAILABLE,
            reason_code=outcome.reason_code,
            reason=outcome.reason,
            timings={"render": round(share, 4)},
        )
        return
    prefix = f"private/tryon/renders/{render.owner_id}/{render.pk}"
    image_name = default_storage.save(
        f"{prefix}/{render.cache_key[:12]}.jpg", ContentFile(outcome.image_jpeg)
    )
    card_name = default_storage.save(
        f"{prefix}/{render.cache_key[:12]}-card.jpg", ContentFile(outcome.card_jpeg)
    )
    timings = {k: round(v, 4) for k, v in outcome.timings.items()}
    timings["render_share"] = round(share, 4)
    if render.started_at and render.created_at:
        timings["queue_wait"] = round((render.started_at - render.created_at).total_seconds(), 3)
    stored = _finish(
        render,
        token,
        status=RenderStatus.DONE,
        image=image_name,
        card=card_name,
        result_mode=outcome.result_mode,
        reason_code=outcome.reason_code,
        reason=outcome.reason,
        timings=timings,
    )
    if not stored:  # deleted or re-claimed while rendering: drop the files
        default_storage.delete(image_name)
        default_storage.delete(card_name)
    else:  # a retried render: the previous files go
        delete_files_on_commit([n for n in render.file_names() if n not in (image_name, card_name)])


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


def warm_up() -> None:
    """Create the analyzer and the renderer in this process (worker start-up)."""
    current_renderer(instantiate=True)
    engine.get_analyzer()
