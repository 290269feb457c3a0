"""The try-on pipeline: stored photos and product images in, stored analyses and cards out.

This is what a store (``tryon`` here) calls, on bytes and :mod:`ml.types` objects only: no ORM, no
framework. It turns an uploaded photo into a storable analysis (pose, parsing, findings, the
enabled renderers' precomputed extras), a product packshot into a storable :class:`Packshot`,
chooses the renderers that can run in this process, keeps per-process caches of decoded
analyses, and renders card jobs in batches, never raising for one bad product.
"""

from ml.pipeline.analyse import (
    AnalysisOutput,
    analyse_packshot,
    analyse_person_photo,
    current_analyzer_version,
    decode_garment,
    get_analyzer,
    jpeg_bytes,
    packshot_analysis_version,
    png_bytes,
)
from ml.pipeline.cache import AnalysisCache, garment_cache, shopper_cache
from ml.pipeline.cards import CardJob, CardOutcome, default_quality_threshold, plan_mode, render_jobs
from ml.pipeline.choice import RendererChoice, choose_renderer, choose_renderers, forget_renderer_choices

__all__ = [
    "AnalysisCache",
    "AnalysisOutput",
    "CardJob",
    "CardOutcome",
    "RendererChoice",
    "analyse_packshot",
    "analyse_person_photo",
    "choose_renderer",
    "choose_renderers",
    "current_analyzer_version",
    "decode_garment",
    "default_quality_threshold",
    "forget_renderer_choices",
    "garment_cache",
    "get_analyzer",
    "jpeg_bytes",
    "packshot_analysis_version",
    "plan_mode",
    "png_bytes",
    "render_jobs",
    "shopper_cache",
]
