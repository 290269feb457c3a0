"""Analyses of product images and shopper photos: scheduling, running, storing, clean-up."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import ReferencePhoto
from catalog.models import ProductImage
from ml import pipeline
from ml.errors import MLError
from tryon.models import AnalysisStatus, ProductImageAnalysis, ReferencePhotoAnalysis, Render, RenderStatus
from tryon.receivers import delete_files_on_commit
from tryon.services.common import enabled_renderers, enqueue_on_commit, read_stored
from tryon.services.leases import lease_deadline, lease_renewed

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- scheduling


def _mark_pending(analysis: ProductImageAnalysis | ReferencePhotoAnalysis) -> None:
    type(analysis).objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.PENDING,
        failure_code="",
        failure_reason="",
        updated_at=timezone.now(),
        enqueued_at=None,
        lease_expires_at=None,
    )
    analysis.refresh_from_db()


def _is_current(analysis: ProductImageAnalysis | ReferencePhotoAnalysis, source) -> bool:
    return analysis.status == AnalysisStatus.DONE and analysis.source_hash == source.content_hash


@transaction.atomic
def product_image_schedule_analysis(
    *, product_image: ProductImage, force: bool = False
) -> ProductImageAnalysis:
    """Make sure ``product_image`` has a current analysis, scheduling one when needed.

    Called by the catalogue services on create/replace (and by the admin's "re-analyse" with
    ``force``). Renders made from an older version of the image are replaced by queued ones.
    """
    from tryon.services.renders import renders_invalidate_for_product_image
    from tryon.tasks import analyse_product_image

    analysis, created = ProductImageAnalysis.objects.get_or_create(product_image=product_image)
    if _is_current(analysis, product_image) and not force:
        return analysis
    if not created:
        _mark_pending(analysis)
    renders_invalidate_for_product_image(product_image=product_image)
    enqueue_on_commit(analyse_product_image, product_image.pk)
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
    if _is_current(analysis, photo) and not force:
        return analysis
    if not created:
        _mark_pending(analysis)
    if force:
        Render.objects.filter(photo=photo).delete()
    enqueue_on_commit(analyse_reference_photo, photo.pk)
    return analysis


def schedule_missing_product_analyses(image_ids: list[int]) -> None:
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
            enqueue_on_commit(analyse_product_image, image_id)


# --------------------------------------------------------------------------- stale analyses


def _has_extras_key(name: str, key: str) -> Q:
    """``extras_for`` ("name@version,…") names renderer ``name``, and not at ``key`` (its version now)."""
    names_it = Q(extras_for__startswith=f"{name}@") | Q(extras_for__contains=f",{name}@")
    exact = (
        Q(extras_for=key)
        | Q(extras_for__startswith=f"{key},")
        | Q(extras_for__endswith=f",{key}")
        | Q(extras_for__contains=f",{key},")
    )
    return names_it & ~exact


def stale_person_analysis() -> Q:
    """Analyses of person photos made by another analyzer version, or holding extras of an enabled
    renderer whose extras version changed since (new parser, new weights)."""
    return ~Q(analyzer_version=pipeline.current_analyzer_version()) | _stale_extras()


def _stale_extras() -> Q:
    """Analyses holding extras of an enabled renderer whose extras version changed since."""
    stale = Q(pk__in=[])
    for choice in enabled_renderers():
        stale |= _has_extras_key(choice.name, choice.key)
    return stale


def stale_photo_analysis() -> Q:
    """Photo analyses out of date: made by other versions, or of an earlier file of the photo."""
    return stale_person_analysis() | ~Q(source_hash=F("photo__content_hash"))


def stale_product_analysis() -> Q:
    """Product image analyses out of date: made by other versions (the packshot pipeline's, or the
    person analyzer's for on-model photos), or of an earlier file of the image."""
    packshot = Q(product_image__role=ProductImage.Role.PACKSHOT)
    current = Q(analyzer_version=pipeline.packshot_analysis_version())
    replaced = ~Q(source_hash=F("product_image__content_hash"))
    return (packshot & (~current | _stale_extras())) | (~packshot & stale_person_analysis()) | replaced


def stale_refresh_batch() -> int:
    return max(1, int(getattr(settings, "TRYON_STALE_BATCH", 20)))


def analyses_refresh_stale(*, limit: int | None = None) -> int:
    """Queue the re-analysis of up to ``limit`` stale analyses (oldest first) on the ``preprocess``
    queue; the renders made from them are queued again and follow once the new analysis is done.

    Images and photos that have no analysis at all come first (their event was lost between the
    commit and try-on's receivers: a killed process, a broker outage). Fresh uploads never wait
    behind this: it queues only what fits under ``limit`` next to the analyses already pending or
    running, and runs again on its period (``tryon.tasks.analyse_stale``). Returns how many were
    queued.
    """
    limit = stale_refresh_batch() if limit is None else limit
    busy = [AnalysisStatus.PENDING, AnalysisStatus.RUNNING]
    room = limit - sum(
        model.objects.filter(status__in=busy).count()
        for model in (ReferencePhotoAnalysis, ProductImageAnalysis)
    )
    missing = _schedule_missing_analyses(limit=room) if room > 0 else 0
    room -= missing
    if room <= 0:
        return missing
    done, oldest = Q(status=AnalysisStatus.DONE), ("finished_at", "id")
    photos = ReferencePhotoAnalysis.objects.filter(done & stale_photo_analysis()).order_by(*oldest)
    products = ProductImageAnalysis.objects.filter(done & stale_product_analysis()).order_by(*oldest)
    candidates = [*photos[:room], *products[:room]]
    candidates.sort(key=lambda a: (a.finished_at or a.updated_at, a.pk))
    for analysis in candidates[:room]:
        _refresh(analysis)
    return missing + len(candidates[:room])


def _schedule_missing_analyses(*, limit: int) -> int:
    """Schedule the analysis of up to ``limit`` product images and reference photos that have none."""
    image_ids = list(
        ProductImage.objects.filter(tryon_analysis__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    schedule_missing_product_analyses(image_ids)
    photos = list(
        ReferencePhoto.objects.filter(tryon_analysis__isnull=True).order_by("id")[: limit - len(image_ids)]
    )
    for photo in photos:
        reference_photo_schedule_analysis(photo=photo)
    return len(image_ids) + len(photos)


@transaction.atomic
def _refresh(analysis: ProductImageAnalysis | ReferencePhotoAnalysis) -> None:
    from tryon.tasks import analyse_product_image, analyse_reference_photo

    _mark_pending(analysis)
    if isinstance(analysis, ReferencePhotoAnalysis):
        renders = Render.objects.filter(photo_id=analysis.photo_id)
        task, source_id = analyse_reference_photo, analysis.photo_id
    else:
        renders = Render.objects.filter(garments__product_image_id=analysis.product_image_id)
        task, source_id = analyse_product_image, analysis.product_image_id
    # made from the old analysis: made again once the new one is done (claims wait for it)
    Render.objects.filter(
        pk__in=list(renders.exclude(status=RenderStatus.RUNNING).values_list("pk", flat=True))
    ).update(
        status=RenderStatus.QUEUED,
        claim="",
        reason="",
        reason_code="",
        priority=0,
        lease_expires_at=None,
        attempts=0,
    )
    enqueue_on_commit(task, source_id)


# --------------------------------------------------------------------------- running


def working_copy(data: bytes) -> tuple[bytes, float]:
    """The stored image bounded to ``TRYON_WORKING_MAX_SIDE`` px on its long side, and the scale.

    Analysis (and so rendering, which works on the analysed image) never sees more pixels than
    that: a 40 MP upload costs what a 4 MP one does. The stored original is left as it is.
    """
    from django.conf import settings

    from ml.intake import WORKING_MAX_SIDE, bounded_image_bytes

    return bounded_image_bytes(
        data, max_side=int(getattr(settings, "TRYON_WORKING_MAX_SIDE", WORKING_MAX_SIDE))
    )


def scaled_landmarks(landmarks: dict | None, scale: float) -> dict | None:
    if not landmarks or scale == 1.0:
        return landmarks
    return {name: [float(x) * scale, float(y) * scale] for name, (x, y) in landmarks.items()}


def _save_file(prefix: str, name: str, data: bytes | None) -> str:
    if not data:
        return ""
    return default_storage.save(f"{prefix}/{uuid.uuid4().hex[:10]}-{name}", ContentFile(data))


def _store_analysis(
    model, pk: int, prefix: str, output: pipeline.AnalysisOutput, source_hash: str, started: float
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
        lease_expires_at=None,
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
        lease_expires_at=None,
    )


def _run_analysis(run) -> tuple[pipeline.AnalysisOutput | None, str, str]:
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


def _analyse(
    analysis: ProductImageAnalysis | ReferencePhotoAnalysis,
    source: ProductImage | ReferencePhoto,
    *,
    prefix: str,
    run: Callable[[], pipeline.AnalysisOutput],
) -> bool:
    """Run one analysis of ``source`` and store its outcome (files, or the failure) on ``analysis``.

    Returns False, storing nothing, when the source was replaced or deleted meanwhile: the
    newer task does the work.
    """
    model = type(analysis)
    started = time.perf_counter()
    model.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.RUNNING,
        attempts=analysis.attempts + 1,
        updated_at=timezone.now(),
        lease_expires_at=lease_deadline(),
    )
    with lease_renewed(model, pk=analysis.pk, status=AnalysisStatus.RUNNING):
        output, code, reason = _run_analysis(run)
    if not type(source).objects.filter(pk=source.pk, content_hash=source.content_hash).exists():
        return False
    if output is None:
        _fail_analysis(
            model, analysis.pk, code=code, reason=reason, source_hash=source.content_hash, started=started
        )
    else:
        _store_analysis(model, analysis.pk, prefix, output, source.content_hash, started)
    return True


def product_image_analyse(*, product_image_id: int) -> ProductImageAnalysis | None:
    """Analyse one product image (task body). Quiet when the image is gone; idempotent."""
    from tryon.services.renders import renders_kick_waiting_on

    image = ProductImage.objects.select_related("product").filter(pk=product_image_id).first()
    if image is None:
        return None
    analysis, _ = ProductImageAnalysis.objects.get_or_create(product_image=image)
    if _is_current(analysis, image):
        return analysis

    def run() -> pipeline.AnalysisOutput:
        twin = (
            ProductImageAnalysis.objects.filter(source_hash=image.content_hash, status=AnalysisStatus.DONE)
            .filter(
                product_image__role=image.role,
                product_image__product__garment_kind=image.product.garment_kind,
            )
            .exclude(pk=analysis.pk)
            .exclude(data="")
            .exclude(stale_product_analysis())  # never copy an analysis that is out of date
            .first()
        )
        if twin is not None:  # the same bytes were analysed for another product: reuse
            return pipeline.AnalysisOutput(
                data=read_stored(twin.data),
                metadata=twin.metadata,
                findings=twin.findings,
                analyzer_version=twin.analyzer_version,
                skeleton_png=read_stored(twin.skeleton) if twin.skeleton else None,
                parsing_png=read_stored(twin.parsing_overlay) if twin.parsing_overlay else None,
                extras_for=twin.extras_for,
            )
        data, scale = working_copy(read_stored(image.image))
        if image.role == ProductImage.Role.PACKSHOT:
            landmarks = scaled_landmarks(image.landmarks, scale)
            return pipeline.analyse_packshot(
                data,
                kind=image.product.garment_kind,
                landmarks=landmarks,
                renderer=enabled_renderers(instantiate=True),
            )
        return pipeline.analyse_person_photo(
            data, renderer=enabled_renderers(instantiate=True), garment_kind=image.product.garment_kind
        )

    if not _analyse(analysis, image, prefix=f"private/tryon/analysis/product/{image.pk}", run=run):
        return None
    renders_kick_waiting_on(product_image_id=image.pk)
    return ProductImageAnalysis.objects.filter(pk=analysis.pk).first()


def reference_photo_analyse(*, photo_id: int) -> ReferencePhotoAnalysis | None:
    """Analyse one shopper photo (task body); then queue the whole catalogue for a primary photo."""
    from tryon.services.renders import photo_readiness, renders_ensure_for_shopper, schedule_render_drain

    photo = ReferencePhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return None
    analysis, _ = ReferencePhotoAnalysis.objects.get_or_create(
        photo=photo, defaults={"owner_id": photo.user_id}
    )
    if not _is_current(analysis, photo):

        def run() -> pipeline.AnalysisOutput:
            data, _ = working_copy(read_stored(photo.image))
            return pipeline.analyse_person_photo(data, renderer=enabled_renderers(instantiate=True))

        prefix = f"private/tryon/analysis/photo/{photo.user_id}/{photo.pk}"
        if not _analyse(analysis, photo, prefix=prefix, run=run):
            return None
    photo = ReferencePhoto.objects.select_related("tryon_analysis", "user").filter(pk=photo.pk).first()
    if photo is None:
        return None
    if photo.is_primary and photo_readiness(photo)[0] == "unusable":
        # A main photo that cannot carry try-on (no person, …) stays stored with its findings but
        # stops being the main photo; the best usable photo, if any, takes its place.
        from accounts.services import reference_photo_demote_unusable

        reference_photo_demote_unusable(photo=photo)
    elif photo.is_primary:
        renders_ensure_for_shopper(user=photo.user)
    if Render.objects.filter(photo=photo, status=RenderStatus.QUEUED).exists():
        schedule_render_drain(photo_id=photo.pk)  # e.g. renders waiting for a refreshed analysis
    return ReferencePhotoAnalysis.objects.filter(pk=analysis.pk).first()
