"""Extension points the store's core pages offer to the apps built on top of them.

The catalogue and the account pages know nothing of try-on, size advice or the cart: those apps
register here (in their ``AppConfig.ready``), as they register media owners in :mod:`shop.media`:

- ``register_page_context(page, provider)``: ``provider(request, obj) -> dict`` is merged into the
  context of ``page`` (``"catalogue"``: ``obj`` is the page's products; ``"product"``: the product);
  providers only read (a GET never writes);
- ``register_slot(slot, template_name)``: ``{% load slots %}{% slot "card_media" %}`` in a core
  template renders every template registered for that slot with the surrounding context;
- ``register_api_extra(resource, key, provider)``: ``provider(request, obj)`` adds ``key`` to the
  API representation of ``resource`` (``"product"``) unless it answers ``None``.

Without the app (removed from ``INSTALLED_APPS``) its slots stay empty and the pages still work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PageContext = Callable[[Any, Any], dict]
ApiExtra = Callable[[Any, Any], Any]

DEFAULT_ORDER = 100
_page_contexts: dict[str, list[tuple[int, str, PageContext]]] = {}
_slots: dict[str, list[tuple[int, str]]] = {}
_api_extras: dict[str, list[tuple[int, str, ApiExtra]]] = {}


def _add(table: dict, name: str, entry: tuple) -> None:
    entries = [e for e in table.get(name, []) if e[1:] != entry[1:]]  # registering twice is harmless
    entries.append(entry)
    table[name] = sorted(entries, key=lambda e: e[0])


def register_page_context(page: str, provider: PageContext, *, order: int = DEFAULT_ORDER) -> None:
    key = f"{provider.__module__}.{provider.__qualname__}"
    _add(_page_contexts, page, (order, key, provider))


def page_context(page: str, request, obj) -> dict:
    """The registered apps' part of ``page``'s context (later registrations win on clashes)."""
    context: dict = {}
    for _, _, provider in _page_contexts.get(page, []):
        context.update(provider(request, obj) or {})
    return context


def register_slot(slot: str, template_name: str, *, order: int = DEFAULT_ORDER) -> None:
    _add(_slots, slot, (order, template_name))


def slot_templates(slot: str) -> list[str]:
    return [template_name for _, template_name in _slots.get(slot, [])]


def register_api_extra(resource: str, key: str, provider: ApiExtra, *, order: int = DEFAULT_ORDER) -> None:
    _add(_api_extras, resource, (order, key, provider))


def api_extras(resource: str, request, obj) -> dict:
    extras = {}
    for _, key, provider in _api_extras.get(resource, []):
        value = provider(request, obj)
        if value is not None:
            extras[key] = value
    return extras
