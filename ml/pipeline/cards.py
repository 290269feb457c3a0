"""Card jobs rendered in batches: the mode each pair can carry, the quality gate's confidence,
JPEG bytes to store; one bad product never sinks the batch."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from ml import checks, quality
from ml.errors import MLError
from ml.pipeline.analyse import jpeg_bytes
from ml.types import Finding, GarmentSource, PhotoAnalysis, RenderMode, RenderRequest, RenderResult, Severity

logger = logging.getLogger(__name__)

CARD_CROP_JPEG_QUALITY = 84  # the 3:4 card crop is small and shown often: a little lower quality


@dataclass
class CardJob:
    """One render to make: the shopper, the garments, the mode asked for."""

    shopper: PhotoAnalysis
    garments: tuple[GarmentSource, ...]
    mode: str


@dataclass
class CardOutcome:
    ok: bool
    confidence: float | None = None  # the quality gate's confidence (try-on renders only)
    quality: dict = field(default_factory=dict)  # its measures and, when low, the reason
    image_jpeg: bytes = b""
    card_jpeg: bytes = b""
    result_mode: str = ""
    reason_code: str = ""
    reason: str = ""
    failed: bool = False  # an unexpected error (status failed) rather than a known limit
    timings: dict[str, float] = field(default_factory=dict)


def plan_mode(job: CardJob) -> tuple[str, list[Finding]]:
    """The mode to render and the pair findings that decided it.

    A try-on the photo cannot carry (e.g. trousers on an upper-body photo) becomes "the model
    in my pose" when the product has an on-model photo; the finding's sentence goes on the card.
    """
    blocking: list[Finding] = []
    for garment in job.garments:
        blocking += [
            f for f in checks.pair_findings(job.shopper, garment.kind) if f.severity == Severity.ERROR
        ]
    if job.mode == RenderMode.TRYON and blocking:
        if all(g.analysis is not None for g in job.garments) and all(
            f.code not in ("pair_back_view",) for f in blocking
        ):
            return RenderMode.POSE, blocking
        return "", blocking
    return job.mode, blocking


def default_quality_threshold() -> float:
    return quality.GATE.threshold


def _assess(request: RenderRequest, result: RenderResult) -> tuple[float | None, dict]:
    """The quality gate's confidence of a try-on render (None for pose mode: nothing to compare);
    a failing self-check never fails the render, it just leaves the card ungated."""
    if request.mode != RenderMode.TRYON:
        return None, {}
    try:
        measured = quality.assess(request.shopper, request.garments, result)
    except Exception:
        logger.exception("quality self-checks failed")
        return None, {}
    return measured.confidence, measured.to_dict()


def _outcome(
    result: RenderResult, mode: str, notes: list[Finding], started: float, request: RenderRequest
) -> CardOutcome:
    assess_started = time.perf_counter()
    confidence, measures = _assess(request, result)
    encode_started = time.perf_counter()
    image = jpeg_bytes(result.image)
    card = jpeg_bytes(result.card, quality=CARD_CROP_JPEG_QUALITY)
    timings = dict(result.timings)
    timings["quality"] = encode_started - assess_started
    timings["encode"] = time.perf_counter() - encode_started
    timings["total"] = time.perf_counter() - started
    reason = " ".join(dict.fromkeys(f.message for f in notes))
    code = notes[0].code if notes else ""
    return CardOutcome(
        ok=True,
        image_jpeg=image,
        card_jpeg=card,
        result_mode=str(mode),
        reason=reason,
        reason_code=code,
        timings=timings,
        confidence=confidence,
        quality=measures,
    )


def render_jobs(renderer, jobs: Sequence[CardJob]) -> list[CardOutcome]:
    """Render ``jobs`` in one ``render_batch`` call; never raises.

    Jobs the photo cannot carry get an "unavailable" outcome with the finding's sentence; if the
    batch call fails, every job is retried alone so one bad product cannot sink the others.
    """
    outcomes: list[CardOutcome | None] = [None] * len(jobs)
    planned: list[tuple[int, RenderRequest, str, list[Finding]]] = []
    started = time.perf_counter()
    for index, job in enumerate(jobs):
        try:
            mode, notes = plan_mode(job)
        except Exception:
            logger.exception("pair checks failed")
            mode, notes = job.mode, []
        if not mode:
            outcomes[index] = CardOutcome(
                ok=False, reason_code=notes[0].code, reason=" ".join(dict.fromkeys(f.message for f in notes))
            )
            continue
        request = RenderRequest(shopper=job.shopper, garments=job.garments, mode=RenderMode(mode))
        planned.append((index, request, mode, notes if mode != job.mode else []))
    if planned:
        try:
            results = renderer.render_batch([request for _, request, _, _ in planned])
            if len(results) != len(planned):
                raise RuntimeError("render_batch returned a different number of results")
            for (index, request, mode, notes), result in zip(planned, results, strict=True):
                outcomes[index] = _outcome(result, mode, notes, started, request)
        except Exception:
            if len(planned) > 1:
                logger.info("batch render failed; rendering %d jobs one by one", len(planned))
            for index, request, mode, notes in planned:
                outcomes[index] = _render_one(renderer, request, mode, notes)
    return [
        o if o is not None else CardOutcome(ok=False, failed=True, reason="Not rendered.") for o in outcomes
    ]


def _render_one(renderer, request: RenderRequest, mode: str, notes: list[Finding]) -> CardOutcome:
    started = time.perf_counter()
    try:
        return _outcome(renderer.render(request), mode, notes, started, request)
    except MLError as error:
        return CardOutcome(ok=False, reason_code=error.code, reason=error.message)
    except Exception as error:
        logger.exception("render failed")
        return CardOutcome(
            ok=False,
            failed=True,
            reason_code="render_error",
            reason=f"This picture could not be made because of an internal error ({type(error).__name__}).",
        )
