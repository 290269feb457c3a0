"""Every tuned number of the warp renderer is a field of a frozen config, hashed into its version."""

import dataclasses
import io
import tokenize
from inspect import getsource

import pytest

import ml.render.warp as warp
from ml.garments import GARMENT_TUNINGS
from ml.render import get_renderer
from ml.render.warp import (
    arms,
    backdrop,
    body,
    collar,
    geometry,
    hair,
    mesh,
    mirror,
    sleeves,
    sources,
    texture,
    trousers,
)
from ml.tuning import versioned

WARP_MODULES = (
    geometry,
    body,
    collar,
    hair,
    sources,
    mesh,
    mirror,
    arms,
    backdrop,
    sleeves,
    texture,
    trousers,
    warp,
)


def _changed(value):
    """A different value of the same type: a number moved, a flag flipped, a tuple's first item moved."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, tuple):
        return (_changed(value[0]), *value[1:])
    raise TypeError(f"no change defined for {value!r}")


def test_the_version_is_the_base_with_a_digest_of_every_warp_and_garments_config():
    # given the tuning config of every warp module, and the garments' analysis configs
    configs = (*(module.TUNING for module in WARP_MODULES), *GARMENT_TUNINGS)
    # then the renderer's version hashes exactly those configs, in the order WARP_TUNINGS lists them
    assert {id(config) for config in warp.WARP_TUNINGS} == {id(config) for config in configs}
    assert len(warp.WARP_TUNINGS) == len(configs)
    assert warp.VERSION == versioned("warp-107", *warp.WARP_TUNINGS) == warp.warp_version(warp.WARP_TUNINGS)
    assert get_renderer("warp").version == warp.VERSION


def test_changing_any_field_of_any_warp_config_changes_the_version():
    # given every field of every warp config, one at a time given another value
    versions = {warp.VERSION}
    count = 0
    for index, config in enumerate(warp.WARP_TUNINGS):
        for field in dataclasses.fields(config):
            changed = dataclasses.replace(config, **{field.name: _changed(getattr(config, field.name))})
            tunings = (*warp.WARP_TUNINGS[:index], changed, *warp.WARP_TUNINGS[index + 1 :])
            # when the version is computed the way the module computes it
            versions.add(warp.warp_version(tunings))
            count += 1
    # then each change gives a version of its own (none equals the shipped one or another change's)
    assert count > 150
    assert len(versions) == count + 1


@pytest.mark.parametrize("module", WARP_MODULES, ids=lambda module: module.__name__)
def test_every_warp_tuning_is_a_frozen_dataclass(module):
    # given a warp module's tuning config
    config = module.TUNING
    first = dataclasses.fields(config)[0].name
    # when a field is assigned, then it is refused
    assert dataclasses.is_dataclass(config)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(config, first, getattr(config, first))


@pytest.mark.parametrize("module", WARP_MODULES, ids=lambda module: module.__name__)
def test_every_field_has_a_comment_on_its_line_or_the_line_above(module):
    # given the source of a warp module's tuning class
    source = getsource(type(module.TUNING))
    lines = source.splitlines()
    commented = {
        tok.start[0]
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    }
    # then each field's line (or the one above it) carries a comment saying what it is
    undocumented = []
    for field in dataclasses.fields(module.TUNING):
        line = next(i + 1 for i, text in enumerate(lines) if text.strip().startswith(f"{field.name}:"))
        if line not in commented and line - 1 not in commented:
            undocumented.append(field.name)
    assert undocumented == []
