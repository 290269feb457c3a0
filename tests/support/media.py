"""What a test stored under MEDIA_ROOT (the filesystem storage the tests use)."""

from __future__ import annotations

from pathlib import Path


def stored_files(settings) -> list[str]:
    """Every file under ``settings.MEDIA_ROOT``, relative to it, sorted ([] when it does not exist)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []
