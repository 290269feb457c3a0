"""The prepared packshot layer is cached per process, keyed by the packshot's content."""

from __future__ import annotations

import numpy as np
import pytest

from ml.garments import draw_packshot, packshot_mask
from ml.render.warp import sources
from ml.render.warp.sources import PackshotSource, clear_packshot_cache, packshot_key
from ml.types import GarmentKind, Packshot


def small_packshot(colour=(70, 100, 150)) -> Packshot:
    drawn = draw_packshot(kind=GarmentKind.TOP, colour=colour, seed=1, style="tshirt", size=(192, 144))
    return Packshot(drawn.image, packshot_mask(drawn.image), drawn.kind, drawn.landmarks)


@pytest.fixture
def empty_cache():
    clear_packshot_cache()
    yield
    clear_packshot_cache()


def test_same_product_is_prepared_once(empty_cache):
    # given a packshot and an equal copy of it (other arrays, same content)
    packshot = small_packshot()
    copy = Packshot(packshot.image.copy(), packshot.mask.copy(), packshot.kind, dict(packshot.landmarks))
    misses = sources.packshot_cache_stats["misses"]
    # when sources are built for both (two shoppers' cards of one product)
    first, second = PackshotSource(packshot), PackshotSource(copy)
    # then the layer was prepared once and shared, read-only
    assert sources.packshot_cache_stats["misses"] == misses + 1
    assert second.layer is first.layer
    assert not first.layer.image.flags.writeable
    # and the caller's packshot pixels were neither changed nor frozen
    assert packshot.image.flags.writeable
    assert np.array_equal(packshot.image, copy.image)


def test_other_pixels_kind_or_landmarks_are_other_entries(empty_cache):
    # given a packshot, the same garment in another colour, and the same one with a moved landmark
    packshot = small_packshot()
    other_colour = small_packshot(colour=(150, 60, 60))
    moved = dict(packshot.landmarks)
    x, y = moved["shoulder_right"]
    moved["shoulder_right"] = (x + 1.0, y)
    moved_packshot = Packshot(packshot.image, packshot.mask, packshot.kind, moved)
    outerwear = Packshot(packshot.image, packshot.mask, GarmentKind.OUTERWEAR, packshot.landmarks)
    # then every one has its own key
    keys = {packshot_key(p) for p in (packshot, other_colour, moved_packshot, outerwear)}
    assert len(keys) == 4
    # and the layers prepared for them are different objects
    assert PackshotSource(packshot).layer is not PackshotSource(other_colour).layer


def test_cache_keeps_at_most_its_size(empty_cache, monkeypatch):
    # given a cache of two entries
    monkeypatch.setattr(sources, "PACKSHOT_CACHE_SIZE", 2)
    packshots = [small_packshot(colour=(40 + 40 * i, 90, 120)) for i in range(3)]
    # when three products are prepared
    layers = [PackshotSource(p).layer for p in packshots]
    # then the oldest was dropped and the two newest are still shared
    assert len(sources._packshot_cache) == 2
    assert PackshotSource(packshots[2]).layer is layers[2]
    assert PackshotSource(packshots[0]).layer is not layers[0]
