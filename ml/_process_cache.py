"""One shared instance per process, built on first use (models load once, not per request)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class _Once(Generic[T]):
    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._built = False
        self._value: T | None = None
        functools.update_wrapper(self, factory)

    def __call__(self) -> T:
        # Built under the lock, so two threads asking at once still load the model only once.
        # A factory that raises leaves nothing behind: the next call tries again.
        with self._lock:
            if not self._built:
                self._value = self._factory()
                self._built = True
            return self._value  # type: ignore[return-value]

    def reset(self) -> None:
        """Forget the instance (tests, or after the environment that chose it changed)."""
        with self._lock:
            self._built = False
            self._value = None


def once(factory: Callable[[], T]) -> _Once[T]:
    """Decorate a no-argument factory: every call returns the instance its first call built."""
    return _Once(factory)
