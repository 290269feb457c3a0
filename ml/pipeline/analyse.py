"""Uploaded photos and product images turned into storable analyses."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from ml import garments, overlays
from ml.analysis import get_analyzer as _shared_analyzer
from ml.intake import load_image
from ml.pipeline.choice import RendererChoice
from ml.types import PACKSHOT_FORMAT, Finding, GarmentKind, GarmentSource, Packshot, PhotoAnalysis, Severity

logger = logging.getLogger(__name__)

PNG_COMPRESSION = 3  # zlib level of stored overlays: fast to write, the admin is the only reader
CARD_JPEG_QUALITY = 86  # JPEG quality of a stored render
OVERLAY_DIM = 0.35  # brightness of the ground in a packshot's cut-out overlay
LANDMARK_DOT_RADIUS = 6  # px, a landmark on the packshot overlay
LANDMARK_DOT_COLOUR = (255, 40, 40)


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
    Image.fromarray(np.ascontiguousarray(array)).save(
        buffer, format="PNG", optimize=False, compress_level=PNG_COMPRESSION
    )
    return buffer.getvalue()


def jpeg_bytes(array: np.ndarray, quality: int = CARD_JPEG_QUALITY) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(array, dtype=np.uint8)).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _overlays(analysis: PhotoAnalysis) -> tuple[bytes | None, bytes | None]:
    """Skeleton and parsing overlay PNGs for the admin; never fails an analysis."""
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
    """The process's analyzer with its models loaded."""
    analyzer = _shared_analyzer()
    loader = getattr(analyzer, "load", None)
    if loader is not None and not getattr(analyzer, "_pipeline_loaded", False):
        loader()
        analyzer._pipeline_loaded = True
    return analyzer


def current_analyzer_version() -> str:
    """The version a person photo's analysis gets now (the parser's included), without loading models."""
    return str(_shared_analyzer().version)


def packshot_analysis_version() -> str:
    """The version a product packshot's stored analysis gets now: the storage format and the
    garments' analysis version (a digest of the cut-out, structure and landmark tunings)."""
    return f"{PACKSHOT_FORMAT}+{garments.GARMENTS_VERSION}"


def _loaded(renderer: RendererChoice | Sequence[RendererChoice] | None) -> list[RendererChoice]:
    """The renderer choices (one, several or none) whose renderer is loaded in this process."""
    choices = [renderer] if isinstance(renderer, RendererChoice) else list(renderer or [])
    return [choice for choice in choices if choice.instance is not None]


def analyse_person_photo(
    data: bytes,
    *,
    renderer: RendererChoice | Sequence[RendererChoice] | None = None,
    garment_kind: str | None = None,
) -> AnalysisOutput:
    """Pose, parsing, findings and canvas of a photo of a person (shopper or on-model product),
    with the precomputed extras of the enabled ``renderer`` (one choice, or several). For an on-model
    product photo (``garment_kind`` given) the findings add what those renderers cannot draw from it.

    Raises :class:`ml.errors.MLError` subclasses with a sentence for bad photos.
    """
    started = time.perf_counter()
    image = load_image(data)
    analysis = get_analyzer().predict(image)
    analysed = time.perf_counter()
    extras_for = []
    findings = [f.to_dict() for f in analysis.findings]
    for choice in _loaded(renderer):
        extras = choice.instance.precompute(analysis)
        if extras:
            analysis.extras.update(extras)
            extras_for.append(choice.key)
        if garment_kind is not None:
            for finding in choice.instance.product_photo_findings(analysis, GarmentKind(garment_kind)):
                if finding.to_dict() not in findings:
                    findings.append(finding.to_dict())
    skeleton, parsing = _overlays(analysis)
    meta = analysis.metadata()
    meta["source"] = "photo"
    return AnalysisOutput(
        data=analysis.to_bytes(),
        metadata=meta,
        findings=findings,
        analyzer_version=analysis.analyzer_version,
        skeleton_png=skeleton,
        parsing_png=parsing,
        extras_for=",".join(extras_for),
        timings={"analyse": analysed - started, "total": time.perf_counter() - started},
    )


def _packshot_overlay(packshot: Packshot) -> np.ndarray:
    """The packshot with its ground dimmed and its landmarks dotted, for the admin."""
    overlay = packshot.image.copy()
    ground = packshot.mask < 128
    overlay[ground] = (overlay[ground] * OVERLAY_DIM).astype(np.uint8)
    for x, y in packshot.landmarks.values():
        cv2.circle(overlay, (int(x), int(y)), LANDMARK_DOT_RADIUS, LANDMARK_DOT_COLOUR, -1)
    return overlay


def analyse_packshot(
    data: bytes,
    *,
    kind: str,
    landmarks: dict | None,
    renderer: RendererChoice | Sequence[RendererChoice] | None = None,
) -> AnalysisOutput:
    """Mask, landmarks and structure of a flat product photo (stored landmarks win over estimated
    ones), with the precomputed per-packshot work of the enabled ``renderer`` (one choice, or
    several). Raises :class:`ml.errors.MLError` subclasses with a sentence for a bad product photo."""
    started = time.perf_counter()
    image = load_image(data)
    packshot = garments.prepare_packshot(image, kind, landmarks)
    prepared = time.perf_counter()
    extras_for = []
    for choice in _loaded(renderer):
        try:  # work done ahead for the renderer: it never fails the product's analysis
            extras = choice.instance.precompute_packshot(packshot)
        except Exception:
            logger.exception("the %s renderer could not prepare this packshot ahead", choice.name)
            continue
        if extras:
            packshot.extras.update(extras)
            extras_for.append(choice.key)
    findings: list[dict] = []
    if not landmarks:
        findings.append(
            Finding(
                "landmarks_estimated",
                Severity.INFO,
                "The garment's landmarks were estimated from its outline.",
            ).to_dict()
        )
    return AnalysisOutput(
        data=packshot.to_bytes(),
        metadata=packshot.metadata(),
        findings=findings,
        analyzer_version=packshot_analysis_version(),
        skeleton_png=png_bytes(_packshot_overlay(packshot)),
        parsing_png=png_bytes(packshot.mask),
        extras_for=",".join(extras_for),
        timings={"analyse": prepared - started, "total": time.perf_counter() - started},
    )


def decode_garment(data: bytes, kind: str) -> GarmentSource:
    """A stored product analysis (packshot or on-model photo) as a garment to render."""
    if Packshot.is_packshot_data(data):
        return GarmentSource(kind=GarmentKind(kind), packshot=Packshot.load(data))
    return GarmentSource(kind=GarmentKind(kind), analysis=PhotoAnalysis.load(data))
