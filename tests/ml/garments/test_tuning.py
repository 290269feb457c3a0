"""The tuning configs of ml.garments: frozen, hashed into GARMENTS_VERSION field by field, and the
package's functions short enough to read."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import ml.garments
from ml.garments import (
    DRAWING_TUNINGS,
    GARMENT_TUNINGS,
    GARMENTS_VERSION,
    estimate,
    mask,
    neckline,
    packshot,
    structure,
)
from ml.tuning import versioned

PACKAGE = Path(ml.garments.__file__).parent
MAX_FUNCTION_LINES = 80
ANALYSIS_MODULES = (mask, structure, estimate, neckline, packshot)


def _nudged(value):
    """A value of the same kind as ``value`` that differs from it."""
    if dataclasses.is_dataclass(value):
        first = dataclasses.fields(value)[0].name
        return dataclasses.replace(value, **{first: _nudged(getattr(value, first))})
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value * 1.01 + 0.001
    if isinstance(value, tuple):
        return (_nudged(value[0]), *value[1:])
    raise TypeError(f"no nudge for {value!r}")


def _every_field_changed():
    for index, config in enumerate(GARMENT_TUNINGS):
        for field in dataclasses.fields(config):
            changed = dataclasses.replace(config, **{field.name: _nudged(getattr(config, field.name))})
            configs = (*GARMENT_TUNINGS[:index], changed, *GARMENT_TUNINGS[index + 1 :])
            yield pytest.param(configs, id=f"{type(config).__name__}.{field.name}")


def test_the_version_is_the_base_and_the_digest_of_the_analysis_configs():
    # given the analysis modules' configs
    # then the package's version is their digest on the "garments-2" base, in the modules' order
    assert tuple(module.TUNING for module in ANALYSIS_MODULES) == GARMENT_TUNINGS
    assert versioned("garments-2", *GARMENT_TUNINGS) == GARMENTS_VERSION
    assert GARMENTS_VERSION.startswith("garments-2+")


@pytest.mark.parametrize("configs", _every_field_changed())
def test_changing_any_field_changes_the_version(configs):
    # given the analysis configs with one field changed
    # when the version is computed from them
    # then it is not the package's version
    assert versioned("garments-2", *configs) != GARMENTS_VERSION


@pytest.mark.parametrize(
    "config", [*GARMENT_TUNINGS, *DRAWING_TUNINGS], ids=lambda config: type(config).__name__
)
def test_every_config_is_frozen(config):
    # given a module's config
    first = dataclasses.fields(config)[0].name
    # when one of its numbers is set
    # then it is refused: a config changes only by a new instance (and with it the version)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(config, first, _nudged(getattr(config, first)))
    nested = [getattr(config, f.name) for f in dataclasses.fields(config)]
    for part in [value for value in nested if dataclasses.is_dataclass(value)]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(part, dataclasses.fields(part)[0].name, 0.0)


@pytest.mark.parametrize("module", ANALYSIS_MODULES, ids=lambda module: module.__name__)
def test_the_analysis_modules_keep_their_numbers_in_their_config(module):
    # given an analysis module's top-level assignments
    tree = ast.parse(Path(module.__file__).read_text())
    numbers = [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant | ast.Tuple | ast.UnaryOp)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    # then none is a number outside the config (a statistical constant excepted)
    assert [name for name in numbers if name != "MAD_TO_SIGMA"] == []


def test_no_function_of_the_package_is_over_80_lines():
    # given every function and method of ml/garments
    long = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.name}:{node.name} ({lines} lines)")
    # then each is at most 80 lines long
    assert long == []
