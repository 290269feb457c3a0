"""Making renders (worker side): claim a batch, render it, store the outcome; worker warm-up."""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import ReferencePhoto
from ml import pipeline
from ml.errors import MLError
from ml.render.registry import Renderer
from ml.types import PhotoAnalysis
from tryon.models import AnalysisStatus, ProductImageAnalysis, ReferencePhotoAnalysis, Render, RenderStatus
from tryon.receivers import delete_files_on_commit
from tryon.services.analyses import schedule_missing_product_analyses
from tryon.services.common import (
    enabled_renderers,
    quality_threshold,
    read_stored,
    render_batch_size,
    renderer_for,
)
from tryon.services.keys import render_cache_key
from tryon.services.leases import lease_deadline, lease_renewed
from tryon.services.renders import photo_readiness, schedule_render_drain

logger = logging.getLogger(__name__)

HELD_BACK_REASON = (
    "We couldn't show this one on your photo convincingly; a photo facing the camera, with your arms a"
    " little away from your body, helps."
)


def _claim(photo_id: int, limit: int) -> tuple[str, list[Render]]:
    """Take up to ``limit`` of the shopper's most urgent claimable renders under a new lease.

    When another chain took the same candidates a moment earlier (both read them, it updated
    first), the next ones are tried: a second chain works on cards of its own instead of ending.
    """
    token = uuid.uuid4().hex
    waiting = [AnalysisStatus.PENDING, AnalysisStatus.RUNNING]
    for _ in range(5):
        candidates = list(
            Render.objects.filter(photo_id=photo_id, status=RenderStatus.QUEUED)
            .exclude(garments__product_image__tryon_analysis__status__in=waiting)
            .order_by("-priority", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not candidates:
            return token, []
        claimed = Render.objects.filter(pk__in=candidates, status=RenderStatus.QUEUED).update(
            status=RenderStatus.RUNNING,
            claim=token,
            started_at=timezone.now(),
            lease_expires_at=lease_deadline(),  # renewed while rendering (leases.lease_renewed)
            attempts=F("attempts") + 1,
        )
        if claimed:
            break
    renders = list(
        Render.objects.filter(claim=token, status=RenderStatus.RUNNING)
        .prefetch_related("garments__product_image__tryon_analysis", "garments__product_image__product")
        .order_by("-priority", "id")
    )
    return token, renders


def _finish(render: Render, token: str, **fields) -> bool:
    fields.setdefault("finished_at", timezone.now())
    fields.setdefault("lease_expires_at", None)
    if fields.get("status") == RenderStatus.QUEUED:  # handed back, not lost: the claim does not count
        fields.setdefault("attempts", F("attempts") - 1)
    return bool(
        Render.objects.filter(pk=render.pk, claim=token).update(claim="", updated_at=timezone.now(), **fields)
    )


def _shopper_analysis(analysis: ReferencePhotoAnalysis) -> PhotoAnalysis:
    key = ("photo", analysis.pk, analysis.source_hash, analysis.data.name)
    return pipeline.shopper_cache.get(key, lambda: PhotoAnalysis.load(read_stored(analysis.data)))


def _garment_source(analysis: ProductImageAnalysis, kind: str):
    key = ("product", analysis.pk, analysis.source_hash, analysis.data.name)
    return pipeline.garment_cache.get(key, lambda: pipeline.decode_garment(read_stored(analysis.data), kind))


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
    with lease_renewed(Render, claim=token, status=RenderStatus.RUNNING):
        _process_claimed(photo, token, renders)
    return len(renders)


def _process_claimed(photo: ReferencePhoto, token: str, renders: list[Render]) -> None:
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
        return
    try:
        choices = enabled_renderers(instantiate=True)
        shopper = _shopper_analysis(photo.tryon_analysis)
    except Exception as error:
        message = (
            error.message if isinstance(error, MLError) else "The try-on service is not working right now."
        )
        if not isinstance(error, MLError):
            logger.exception("render setup failed")
        for render in renders:
            _finish(render, token, status=RenderStatus.FAILED, reason_code="setup_error", reason=message)
        return

    # one renderer batch per renderer: each render goes to the renderer its garments get now
    batches: dict[str, tuple[pipeline.RendererChoice, list[tuple[Render, pipeline.CardJob]]]] = {}
    for render in renders:
        garments = list(render.garments.all())
        choice = renderer_for(
            choices,
            kinds=[g.product_image.product.garment_kind for g in garments],
            mode=render.mode,
            roles=[{g.product_image.role} for g in garments],
        )
        job = _job_for(render, token, shopper, choice)
        if job is not None:
            batches.setdefault(choice.name, (choice, []))[1].append((render, job))
    for choice, jobs in batches.values():
        # A renderer that batches for real (a GPU) gets the whole batch in one call; one that renders
        # card by card gets one card per call, so that a deleted photo stops its batch between cards.
        per_call = len(jobs) if _batches_natively(choice.instance) else 1
        for start in range(0, len(jobs), max(1, per_call)):
            if start and not _still_claimed(token):
                logger.info("render batch of photo %s stopped: its renders are gone or taken back", photo.pk)
                return
            chunk = jobs[start : start + per_call]
            started = time.perf_counter()
            outcomes = pipeline.render_jobs(choice.instance, [job for _, job in chunk])
            elapsed = time.perf_counter() - started
            for (render, _), outcome in zip(chunk, outcomes, strict=True):
                _store_outcome(render, token, outcome, elapsed / len(chunk))


def _batches_natively(renderer) -> bool:
    return type(renderer).render_batch is not Renderer.render_batch


def _still_claimed(token: str) -> bool:
    """Whether this batch still holds its renders (a deleted photo takes them with it)."""
    return Render.objects.filter(claim=token, status=RenderStatus.RUNNING).exists()


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


def _job_for(render: Render, token: str, shopper: PhotoAnalysis, choice: pipeline.RendererChoice):
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
            schedule_missing_product_analyses([image.pk])
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
    return pipeline.CardJob(shopper=shopper, garments=tuple(sources), mode=render.mode)


def _store_outcome(render: Render, token: str, outcome: pipeline.CardOutcome, share: float) -> None:
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
    status, reason_code, reason = RenderStatus.DONE, outcome.reason_code, outcome.reason
    threshold = quality_threshold()
    if threshold is not None and outcome.confidence is not None and outcome.confidence < threshold:
        # kept (staff can look at it, a new threshold can release it) but never shown as the card
        status, reason_code = RenderStatus.HELD_BACK, "held_back"
        reason = outcome.quality.get("hold_back_reason") or HELD_BACK_REASON
    stored = _finish(
        render,
        token,
        status=status,
        image=image_name,
        card=card_name,
        result_mode=outcome.result_mode,
        reason_code=reason_code,
        reason=reason,
        timings=timings,
        confidence=outcome.confidence,
        quality=outcome.quality,
    )
    if not stored:  # deleted or re-claimed while rendering: drop the files
        default_storage.delete(image_name)
        default_storage.delete(card_name)
    else:  # a retried render: the previous files go
        delete_files_on_commit([n for n in render.file_names() if n not in (image_name, card_name)])


def warm_up() -> None:
    """Create the analyzer and the renderer in this process (worker start-up)."""
    enabled_renderers(instantiate=True)
    pipeline.get_analyzer()
