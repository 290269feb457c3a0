"""The try-on's part of "download my data": what was measured on each photo, and the renders made."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.exports import json_bytes
from tryon.models import ReferencePhotoAnalysis, Render


def export_tryon_data(user) -> Iterable[tuple[str, bytes]]:
    analyses = [
        {
            "photo_id": analysis.photo_id,
            "status": analysis.status,
            "analysed_at": analysis.finished_at,
            "analyzer_version": analysis.analyzer_version,
            "measurements": analysis.metadata,
            "findings": analysis.findings,
            "failure_reason": analysis.failure_reason,
        }
        for analysis in ReferencePhotoAnalysis.objects.filter(owner=user).order_by("photo_id")
    ]
    yield "measurements.json", json_bytes(analyses)
    renders = [
        {
            "id": render.pk,
            "photo_id": render.photo_id,
            "kind": render.kind,
            "product_id": render.product_id,
            "mode": render.mode,
            "status": render.status,
            "created_at": render.created_at,
            "finished_at": render.finished_at,
        }
        for render in Render.objects.filter(owner=user).order_by("id")
    ]
    yield "renders.json", json_bytes(renders)
