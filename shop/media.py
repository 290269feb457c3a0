"""Protected media: every file under MEDIA_ROOT is served only to the user its app says owns it.

Each app registers, for its upload prefixes, a resolver ``(path) -> owner user id | None | PUBLIC``
(usually in ``AppConfig.ready``)::

    register_media_owner("private/reference/", resolve_reference_photo_owner)

A path no resolver claims, or whose resolver answers ``None``, is a 404 for everybody. A private
file is a 404 (not a 403) for anyone but its owner, so that its existence is not revealed.
With S3 storage these URLs are not used: the storage signs its own URLs.
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings


class _Public:
    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = _Public()

OwnerResolver = Callable[[str], "int | None | _Public"]
_resolvers: dict[str, OwnerResolver] = {}


def register_media_owner(prefix: str, resolver: OwnerResolver) -> None:
    """Claim the storage paths starting with ``prefix`` (e.g. ``"private/reference/"``)."""
    _resolvers[prefix] = resolver


def registered_prefixes() -> list[str]:
    return sorted(_resolvers)


def media_owner(path: str) -> int | None | _Public:
    """Who may read ``path``: a user id, ``PUBLIC``, or ``None`` (nobody)."""
    matches = [prefix for prefix in _resolvers if path.startswith(prefix)]
    if not matches:
        return None
    return _resolvers[max(matches, key=len)](path)


def _clean_path(path: str) -> str | None:
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised.startswith("..") or "\\" in normalised or normalised in ("", "."):
        return None
    return normalised


def _requesting_user_id(request: HttpRequest) -> int | None:
    """The signed-in user, or the owner of an ``Authorization: Token …`` header (REST clients
    fetch the render and photo URLs the API gives them)."""
    if request.user.is_authenticated:
        return request.user.pk
    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if not issubclass(authentication, TokenAuthentication):
            continue  # the API's token class (it may expire tokens), never the session here
        try:
            authenticated = authentication().authenticate(request)
        except AuthenticationFailed:
            return None
        return authenticated[0].pk if authenticated else None
    return None


@require_GET
def protected_media(request: HttpRequest, path: str) -> FileResponse:
    clean = _clean_path(path)
    if clean is None:
        raise Http404("No such file.")
    owner = media_owner(clean)
    if owner is None:
        raise Http404("No such file.")
    if owner is not PUBLIC and _requesting_user_id(request) != owner:
        raise Http404("No such file.")
    try:
        handle = default_storage.open(clean, "rb")
    except (OSError, ValueError):  # missing, a folder, or a name the OS refuses
        raise Http404("No such file.") from None
    content_type, _ = mimetypes.guess_type(clean)
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=False,
        filename=posixpath.basename(clean),
    )
    return media_headers(response, public=owner is PUBLIC)


def media_headers(response, *, public: bool):
    """Headers every media response carries: the file is shown inline, never sniffed as HTML,
    and a private file is never cached by a shared cache."""
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if not response.has_header("Content-Disposition"):
        response["Content-Disposition"] = "inline"
    return response
