"""The only place where ``tryon`` talks to ``ml``: analysis, renderer choice, rendering.

Everything here works on bytes and ``ml.types`` objects (no models, no ORM), so the services
stay readable and the ml side can be faked in tests. Per worker process it keeps the renderer
instance and a small LRU of decoded analyses (keyed by row id + content hash + version), so a
batch of cards for one shopper decodes the shopper's analysis once.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ml.errors import MLError, RendererUnavailable
from ml.render.registry import DEFAULT_RENDERER, fallback_order
from ml.types import (
    Finding,
    GarmentKind,
    GarmentSource,
    Packshot,
    PhotoAnalysis,
    RenderMode,
    RenderRequest,
    RenderResult,
    Severity,
)

logger = logging.getLogger(__name__)

PACKSHOT_FORMAT = "packshot-v2"  # v2: the new cut-out, and the garment structure stored with it


# --------------------------------------------------------------------------- analysis


@dataclass
class AnalysisOutput:
    """What an analysis run produced, ready to be stored."""

    data: bytes  # .npz
    metadata: dict
    findings: list[dict]
    analyzer_version: str
    skeleton_png: bytes | None = None
    parsing_png: bytes | None = None
    extras_for: str = ""
    timings: dict[str, float] = field(default_factory=dict)


def png_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(array)).save(buffer, format="PNG", optimize=False, compress_level=3)
    return buffer.getvalue()


def jpeg_bytes(array: np.ndarray, quality: int = 86) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(array, dtype=np.uint8)).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _overlays(analysis: PhotoAnalysis) -> tuple[bytes | None, bytes | None]:
    """Skeleton and parsing overlay PNGs for the admin; never fails an analysis."""
    try:
        from ml import overlays
    except ImportError:
        return None, None
    skeleton = parsing = None
    try:
        skeleton = overlays.skeleton_png(analysis.image, analysis.keypoints)
    except Exception:
        logger.exception("skeleton overlay failed")
    try:
        parsing = overlays.parsing_png(analysis.image, analysis.parsing)
    except Exception:
        logger.exception("parsing overlay failed")
    return skeleton, parsing


def get_analyzer():
    from ml.analysis import get_analyzer as _get

    analyzer = _get()
    loader = getattr(analyzer, "load", None)
    if loader is not None and not getattr(analyzer, "_tryon_loaded", False):
        loader()
        analyzer._tryon_loaded = True
    return analyzer


def analyzer_version() -> str:
    return str(getattr(get_analyzer(), "version", "") or "")


def current_analyzer_version() -> str:
    """The version a person photo's analysis gets now (the parser's included), without loading models."""
    from ml.analysis import get_analyzer as _get

    return str(_get().version)


def analyse_person_photo(
    data: bytes, *, renderer: RendererChoice | Sequence[RendererChoice] | None = None
) -> AnalysisOutput:
    """Pose, parsing, findings and canvas of a photo of a person (shopper or on-model product),
    with the precomputed extras of the enabled ``renderer`` (one choice, or several).

    Raises :class:`ml.errors.MLError` subclasses with a sentence for bad photos.
    """
    from ml.intake import load_image

    started = time.perf_counter()
    image = load_image(data)
    analysis = get_analyzer().predict(image)
    analysed = time.perf_counter()
    extras_for = []
    choices = [renderer] if isinstance(renderer, RendererChoice) else list(renderer or [])
    for choice in choices:
        if choice.instance is None:
            continue
        extras = choice.instance.precompute(analysis)
        if extras:
            analysis.extras.update(extras)
            extras_for.append(choice.key)
    skeleton, parsing = _overlays(analysis)
    meta = analysis.metadata()
    meta["source"] = "photo"
    return AnalysisOutput(
        data=analysis.to_bytes(),
        metadata=meta,
        findings=[f.to_dict() for f in analysis.findings],
        analyzer_version=analysis.analyzer_version,
        skeleton_png=skeleton,
        parsing_png=parsing,
        extras_for=",".join(extras_for),
        timings={"analyse": analysed - started, "total": time.perf_counter() - started},
    )


def analyse_packshot(data: bytes, *, kind: str, landmarks: dict | None) -> AnalysisOutput:
    """Mask and landmarks of a flat product photo (stored landmarks win over estimated ones)."""
    from ml.garments import prepare_packshot
    from ml.intake import load_image

    started = time.perf_counter()
    image = load_image(data)
    packshot = prepare_packshot(image, kind, landmarks)
    mask, points = packshot.mask, packshot.landmarks
    findings: list[dict] = []
    if not landmarks:
        findings.append(
            Finding(
                "landmarks_estimated",
                Severity.INFO,
                "The garment's landmarks were estimated from its outline.",
            ).to_dict()
        )
    meta = {"source": "packshot", "kind": kind, "landmarks": points, "size": list(image.shape[:2])}
    if packshot.structure is not None:
        meta["structure"] = packshot.structure.to_dict()
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        image=image,
        mask=mask,
        metadata=np.frombuffer(json.dumps({"format": PACKSHOT_FORMAT, **meta}).encode(), dtype=np.uint8),
    )
    overlay = image.copy()
    overlay[mask < 128] = (overlay[mask < 128] * 0.35).astype(np.uint8)
    try:
        import cv2

        for x, y in points.values():
            cv2.circle(overlay, (int(x), int(y)), 6, (255, 40, 40), -1)
    except Exception:
        logger.exception("landmark overlay failed")
    return AnalysisOutput(
        data=buffer.getvalue(),
        metadata=meta,
        findings=findings,
        analyzer_version=PACKSHOT_FORMAT,
        skeleton_png=png_bytes(overlay),
        parsing_png=png_bytes(mask),
        timings={"total": time.perf_counter() - started},
    )


def load_packshot(data: bytes) -> Packshot:
    from ml.garments.structure import GarmentStructure

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        meta = json.loads(bytes(npz["metadata"]).decode())
        structure = meta.get("structure")
        return Packshot(
            image=npz["image"],
            mask=npz["mask"],
            kind=GarmentKind(meta["kind"]),
            landmarks={k: (float(v[0]), float(v[1])) for k, v in meta["landmarks"].items()},
            structure=GarmentStructure.from_dict(structure) if structure else None,
        )


def is_packshot_data(data: bytes) -> bool:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return "mask" in npz.files and "person_mask" not in npz.files


# --------------------------------------------------------------------------- renderer choice


@dataclass
class RendererChoice:
    name: str
    version: str
    fallback_reason: str = ""
    instance: object | None = None  # the Renderer, once created in this process
    extras_version: str = ""

    @property
    def key(self) -> str:
        """What a stored analysis's ``extras_for`` names: the renderer and its extras' version."""
        return f"{self.name}@{self.extras_version or self.version}"


_choice_lock = threading.Lock()
_choices: dict[tuple[str, ...], list[RendererChoice]] = {}


def _choose(name: str, instantiate: bool) -> RendererChoice:
    from ml.render.registry import extras_version, get_renderer, renderer_class

    cls = renderer_class(name)
    unavailable = cls.unavailable_reason()
    if unavailable:
        raise RendererUnavailable(unavailable)
    instance = get_renderer(name) if instantiate else None
    return RendererChoice(
        name=name, version=str(cls.version), instance=instance, extras_version=extras_version(name)
    )


def choose_renderers(wanted: Sequence[str], *, instantiate: bool = False) -> list[RendererChoice]:
    """The enabled renderers that can run here, in ``wanted``'s order (settings' TRYON_RENDERERS),
    the registry's default renderer last; one that cannot run is left out with a logged reason.

    Without ``instantiate`` only the classes are looked at (cheap: web processes key the cache
    on name + version without loading models).
    """
    names = tuple(fallback_order([n for n in wanted if n]))
    with _choice_lock:
        cached = _choices.get(names)
        if cached is not None and (not instantiate or all(c.instance is not None for c in cached)):
            return cached
        choices, reasons = [], []
        for name in names:
            try:
                choices.append(_choose(name, instantiate))
            except RendererUnavailable as error:
                if name == DEFAULT_RENDERER:
                    raise
                reasons.append(f"The {name!r} renderer is not available ({error.message}).")
                logger.warning(reasons[-1])
        choices[0].fallback_reason = " ".join(reasons)
        _choices[names] = choices
        return choices


def choose_renderer(wanted: str | None, *, instantiate: bool = False) -> RendererChoice:
    """The renderer to use for ``wanted``, falling back to the registry's default renderer."""
    return choose_renderers([wanted or DEFAULT_RENDERER], instantiate=instantiate)[0]


def forget_renderer_choices() -> None:
    with _choice_lock:
        _choices.clear()


# --------------------------------------------------------------------------- analysis cache


class AnalysisCache:
    """A small per-process LRU of decoded analyses."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple, load: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        value = load()
        with self._lock:
            self.misses += 1
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = 0
            self.misses = 0


shopper_cache = AnalysisCache(size=8)
garment_cache = AnalysisCache(size=96)


def decode_garment(data: bytes, kind: str) -> GarmentSource:
    if is_packshot_data(data):
        return GarmentSource(kind=GarmentKind(kind), packshot=load_packshot(data))
    return GarmentSource(kind=GarmentKind(kind), analysis=PhotoAnalysis.load(data))


# --------------------------------------------------------------------------- rendering


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
    from ml.checks import pair_findings

    blocking: list[Finding] = []
    for garment in job.garments:
        blocking += [f for f in pair_findings(job.shopper, garment.kind) if f.severity == Severity.ERROR]
    if job.mode == RenderMode.TRYON and blocking:
        if all(g.analysis is not None for g in job.garments) and all(
            f.code not in ("pair_back_view",) for f in blocking
        ):
            return RenderMode.POSE, blocking
        return "", blocking
    return job.mode, blocking


def default_quality_threshold() -> float:
    from ml.quality import GATE

    return GATE.threshold


def _assess(request: RenderRequest, result: RenderResult) -> tuple[float | None, dict]:
    """The quality gate's confidence of a try-on render (None for pose mode: nothing to compare);
    a failing self-check never fails the render, it just leaves the card ungated."""
    if request.mode != RenderMode.TRYON:
        return None, {}
    from ml.quality import assess

    try:
        quality = assess(request.shopper, request.garments, result)
    except Exception:
        logger.exception("quality self-checks failed")
        return None, {}
    return quality.confidence, quality.to_dict()


def _outcome(
    result: RenderResult, mode: str, notes: list[Finding], started: float, request: RenderRequest
) -> CardOutcome:
    assess_started = time.perf_counter()
    confidence, quality = _assess(request, result)
    encode_started = time.perf_counter()
    image = jpeg_bytes(result.image)
    card = jpeg_bytes(result.card, quality=84)
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
        quality=quality,
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
