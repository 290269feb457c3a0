from dataclasses import dataclass

import pytest

from ml.tuning import DIGEST_CHARS, tuning_digest, versioned


@dataclass(frozen=True)
class _Tuning:
    reach: float = 0.5
    stations: tuple[float, ...] = (0.3, 0.6)


@dataclass(frozen=True)
class _OtherTuning:
    reach: float = 0.5
    stations: tuple[float, ...] = (0.3, 0.6)


def test_the_digest_is_stable_for_equal_configs():
    # given two equal configs built separately
    # when both are digested
    # then the digests are equal and of the documented length
    assert tuning_digest(_Tuning()) == tuning_digest(_Tuning())
    assert len(tuning_digest(_Tuning())) == DIGEST_CHARS


def test_changing_any_number_changes_the_digest():
    base = tuning_digest(_Tuning())
    assert tuning_digest(_Tuning(reach=0.51)) != base
    assert tuning_digest(_Tuning(stations=(0.3, 0.61))) != base


def test_the_config_type_is_part_of_the_digest():
    # given two config types with the same fields and values
    # then they do not share a digest
    assert tuning_digest(_Tuning()) != tuning_digest(_OtherTuning())


def test_the_order_of_configs_matters_and_versioned_appends_the_digest():
    assert tuning_digest(_Tuning(), _OtherTuning()) != tuning_digest(_OtherTuning(), _Tuning())
    assert versioned("warp-11", _Tuning()) == f"warp-11+{tuning_digest(_Tuning())}"


def test_anything_but_a_config_instance_is_refused():
    with pytest.raises(ValueError, match="at least one config"):
        tuning_digest()
    with pytest.raises(TypeError, match="not a config dataclass instance"):
        tuning_digest(_Tuning)
    with pytest.raises(TypeError, match="not a config dataclass instance"):
        tuning_digest({"reach": 0.5})
