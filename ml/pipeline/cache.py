"""Per-process LRU caches of decoded analyses, so a batch of cards for one shopper decodes the
shopper's analysis once (keyed by the caller: row id + content hash + version)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

SHOPPER_CACHE_SIZE = 8  # decoded shopper analyses kept per process (a few shoppers' batches at once)
GARMENT_CACHE_SIZE = 96  # decoded product analyses kept per process (a catalogue page and more)


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


shopper_cache = AnalysisCache(size=SHOPPER_CACHE_SIZE)
garment_cache = AnalysisCache(size=GARMENT_CACHE_SIZE)
