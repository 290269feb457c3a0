"""Factorised batched inference and component transfer."""

import numpy as np
import pytest
import torch

from ml.adgan import AdganInference, plan_components
from ml.adgan.components import SHOPPER
from ml.adgan.inference import select_device
from ml.types import GarmentKind, ParsingClass, RenderMode


@pytest.fixture(scope="module")
def engine(generator):
    return AdganInference(generator, device="cpu")


@pytest.mark.slow
def test_factorised_path_equals_full_forward(engine, sample, reference_output):
    # given the style and the content encoded separately (as cached in a catalogue)
    styles = engine.encode_styles(sample["image"][None], sample["parsing"][None])
    content = engine.encode_contents(sample["pose"][None])
    # when only the decoder runs
    decoded = engine.decode_tensor(content, styles)
    # then it is the full forward's output
    assert styles.shape == (1, 8, 64)
    assert styles.dtype == np.float32
    assert content.shape == (1, 256, 64, 44)
    assert (decoded - reference_output).abs().max().item() < 1e-5


@pytest.mark.slow
def test_batched_decode_pairs_each_style_with_its_content(engine, sample, make_sample):
    # given two shoppers' poses and three style codes, decoded in one call with batches of 2
    other = make_sample(1)
    contents = engine.encode_contents(np.stack([sample["pose"], other["pose"]]))
    styles = engine.encode_styles(
        np.stack([sample["image"], other["image"]]), np.stack([sample["parsing"], other["parsing"]])
    )
    codes = np.stack([styles[0], styles[1], styles[1]])
    engine.batch_size = 2
    try:
        batched = engine.decode_tensor(contents, codes, content_index=[1, 0, 1])
    finally:
        engine.batch_size = 1
    # then each image equals decoding that pair alone
    for row, (content_row, style_row) in enumerate([(1, 0), (0, 1), (1, 1)]):
        alone = engine.decode_tensor(contents[content_row : content_row + 1], codes[style_row][None])
        assert (batched[row] - alone[0]).abs().max().item() < 1e-5
    # and different pairs give different images
    assert (batched[0] - batched[1]).abs().max().item() > 1e-3


@pytest.mark.slow
def test_decode_returns_uint8_images(engine, sample):
    content = engine.encode_contents(sample["pose"][None])
    images = engine.decode(content, np.zeros((2, 8, 64), dtype=np.float32))
    assert images.shape == (2, 256, 176, 3)
    assert images.dtype == np.uint8


@pytest.mark.slow
def test_wrong_input_size_is_rejected(engine):
    with pytest.raises(ValueError, match=r"needs a 256x176 image"):
        engine.encode_styles(np.zeros((1, 100, 100, 3), np.uint8), np.zeros((1, 100, 100), np.uint8))


def test_device_is_chosen_automatically():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert select_device().type == expected
    assert select_device("cpu").type == "cpu"


def _codes(value: float) -> np.ndarray:
    # each source's codes: row c holds value + c, so a mixed row tells its source and its class
    return (np.arange(8, dtype=np.float32)[:, None] + value).repeat(64, axis=1)


def _sources(mixed: np.ndarray) -> list[float]:
    return [float(mixed[c, 0] - c) for c in range(8)]


def test_tryon_top_takes_only_the_upper_clothes_from_the_product():
    # given the shopper's codes (100) and a top's codes (200)
    plan = plan_components([GarmentKind.TOP], RenderMode.TRYON)
    # when mixed
    mixed = plan.mix(_codes(100), [_codes(200)])
    # then only UPPER_CLOTHES comes from the product; all other classes are the shopper's
    expected = [100.0] * 8
    expected[ParsingClass.UPPER_CLOTHES] = 200.0
    assert _sources(mixed) == expected
    assert plan.sources[ParsingClass.UPPER_CLOTHES] == 0
    assert plan.sources[ParsingClass.FACE] == SHOPPER


def test_tryon_bottom_takes_pants_and_skirt_from_the_product():
    mixed = plan_components([GarmentKind.BOTTOM], RenderMode.TRYON).mix(_codes(100), [_codes(200)])
    expected = [100.0] * 8
    expected[ParsingClass.PANTS] = expected[ParsingClass.SKIRT] = 200.0
    assert _sources(mixed) == expected


def test_pose_mode_takes_every_component_from_the_product():
    # given "the model in my pose": the shopper's codes are not even needed
    plan = plan_components([GarmentKind.DRESS], RenderMode.POSE)
    mixed = plan.mix(None, [_codes(200)])
    assert _sources(mixed) == [200.0] * 8


def test_outfit_takes_each_garment_class_from_its_product():
    # given a top (200) and trousers (300) on the shopper (100)
    plan = plan_components([GarmentKind.TOP, GarmentKind.BOTTOM], RenderMode.TRYON)
    mixed = plan.mix(_codes(100), [_codes(200), _codes(300)])
    # then upper clothes from the top, pants and skirt from the trousers, the rest from the shopper
    assert _sources(mixed) == [100.0, 300.0, 100.0, 300.0, 100.0, 200.0, 100.0, 100.0]


def test_outfit_in_pose_mode_overrides_the_first_models_lower_body():
    plan = plan_components([GarmentKind.TOP, GarmentKind.BOTTOM], RenderMode.POSE)
    mixed = plan.mix(None, [_codes(200), _codes(300)])
    assert _sources(mixed) == [200.0, 300.0, 200.0, 300.0, 200.0, 200.0, 200.0, 200.0]


def test_tryon_without_shopper_codes_is_an_error():
    plan = plan_components([GarmentKind.TOP], RenderMode.TRYON)
    with pytest.raises(ValueError, match="shopper's own style codes"):
        plan.mix(None, [_codes(200)])


@pytest.mark.slow
def test_mixed_codes_drive_the_decoder_per_component(engine, sample, make_sample):
    # given the codes of two photos and a plan that takes upper clothes from the second
    other = make_sample(7)
    codes = engine.encode_styles(
        np.stack([sample["image"], other["image"]]), np.stack([sample["parsing"], other["parsing"]])
    )
    mixed = plan_components([GarmentKind.TOP], RenderMode.TRYON).mix(codes[0], [codes[1]])
    # then the mixed code is the first photo's except the upper-clothes row
    assert np.array_equal(np.delete(mixed, ParsingClass.UPPER_CLOTHES, 0), np.delete(codes[0], 5, 0))
    assert np.array_equal(mixed[ParsingClass.UPPER_CLOTHES], codes[1][ParsingClass.UPPER_CLOTHES])
