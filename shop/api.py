"""Small helpers shared by the apps' REST API modules."""

from __future__ import annotations


def absolute_url(request, url: str | None) -> str | None:
    """``url`` made absolute for API clients; as given without a request, None when empty."""
    if not url:
        return None
    return request.build_absolute_uri(url) if request is not None else url
