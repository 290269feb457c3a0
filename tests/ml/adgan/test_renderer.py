"""The "adgan" renderer: off without a checkpoint, working with a (random) one."""

from dataclasses import replace

import numpy as np
import pytest
import torch

from ml import config
from ml.adgan.checkpoint import save_generator
from ml.adgan.renderer import STYLE_KEY, AdganRenderer, compose
from ml.errors import CannotRender, RendererUnavailable
from ml.render.registry import get_renderer, renderer_class
from ml.types import (
    GarmentKind,
    GarmentSource,
    Packshot,
    RenderMode,
    RenderRequest,
)


@pytest.fixture(scope="module")
def checkpoint(generator, tmp_path_factory):
    path = tmp_path_factory.mktemp("adgan") / "latest_net_netG.pth"
    save_generator(generator, path)
    return path


@pytest.fixture(scope="module")
def renderer(checkpoint):
    saved = config.current()
    config.configure(replace(saved, adgan_checkpoint=str(checkpoint)))
    try:
        yield AdganRenderer(device="cpu")
    finally:
        config.configure(saved)


def test_renderer_is_registered_under_adgan():
    assert renderer_class("adgan") is AdganRenderer


def test_without_checkpoint_the_renderer_is_off_with_a_sentence(ml_config):
    # given no ADGAN_CHECKPOINT
    ml_config(adgan_checkpoint="")
    # then the reason says what to set, and the registry refuses to build it
    reason = AdganRenderer.unavailable_reason()
    assert reason == (
        "The ADGAN renderer is off: set ADGAN_CHECKPOINT to the path of an ADGAN generator checkpoint "
        "(latest_net_netG.pth)."
    )
    with pytest.raises(RendererUnavailable, match="set ADGAN_CHECKPOINT"):
        get_renderer("adgan")


def test_missing_checkpoint_file_is_reported(ml_config, tmp_path):
    ml_config(adgan_checkpoint=str(tmp_path / "gone.pth"))
    assert AdganRenderer.unavailable_reason() == (
        "The ADGAN renderer is off: ADGAN_CHECKPOINT points to "
        f"{tmp_path / 'gone.pth'}, which does not exist."
    )


def test_unreadable_checkpoint_makes_the_renderer_unavailable(ml_config, tmp_path):
    path = tmp_path / "bad.pth"
    path.write_bytes(b"nope")
    ml_config(adgan_checkpoint=str(path))
    with pytest.raises(RendererUnavailable, match="could not be read as a PyTorch checkpoint"):
        AdganRenderer(device="cpu")


@pytest.mark.slow
def test_version_hashes_the_checkpoint_bytes(ml_config, checkpoint, tmp_path):
    # given the random checkpoint and a copy with one weight changed
    ml_config(adgan_checkpoint=str(checkpoint))
    first = AdganRenderer.version
    state = torch.load(checkpoint, weights_only=True)
    state["fc.fc.bias"] = state["fc.fc.bias"] + 1
    changed = tmp_path / "changed.pth"
    torch.save(state, changed)
    ml_config(adgan_checkpoint=str(changed))
    # then the versions differ, and both name the code version and a 12-hex-digit hash
    second = AdganRenderer.version
    assert first != second
    for version in (first, second):
        code, digest = version.split("+")
        assert code == "adgan-1"
        assert len(digest) == 12
        int(digest, 16)


@pytest.mark.slow
def test_precompute_returns_the_component_codes(renderer, make_person):
    extras = renderer.precompute(make_person(400, 300, 200, seed=1))
    assert set(extras) == {STYLE_KEY}
    assert extras[STYLE_KEY].shape == (8, 64)
    assert extras[STYLE_KEY].dtype == np.float32


@pytest.mark.slow
def test_render_batch_tryon_and_pose_at_the_shopper_resolution(renderer, make_person):
    # given a shopper (600x450) and a product photo whose codes were precomputed
    shopper = make_person(600, 450, 40, seed=2)
    product = make_person(512, 384, 220, seed=3)
    product.extras.update(renderer.precompute(product))
    garment = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    requests = [
        RenderRequest(shopper=shopper, garments=(garment,), mode=RenderMode.TRYON),
        RenderRequest(shopper=shopper, garments=(garment,), mode=RenderMode.POSE),
    ]
    # when both are rendered in one batch
    results = renderer.render_batch(requests)
    # then each result is at the shopper photo's resolution with a 3:4 card
    for result in results:
        assert result.image.shape == (600, 450, 3)
        assert result.image.dtype == np.uint8
        card_h, card_w = result.card.shape[:2]
        assert abs(card_w / card_h - 0.75) < 0.01
        assert result.renderer == "adgan"
        assert result.version.startswith("adgan-1+")
        assert result.findings[0].code == "adgan_generated"
        assert set(result.timings) >= {"style", "content", "decode", "compose", "total"}
    tryon, pose = results
    # and "tryon" keeps the shopper's photo away from the person while "pose" replaces it all
    assert np.array_equal(tryon.image[:, :40], shopper.image[:, :40])
    assert not np.array_equal(pose.image[:, :40], shopper.image[:, :40])
    # and the person area did change
    assert np.abs(tryon.image.astype(int) - shopper.image.astype(int))[200:400, 150:300].mean() > 5


@pytest.mark.slow
def test_packshot_only_garment_cannot_be_rendered(renderer, make_person):
    shopper = make_person(400, 300, 40, seed=4)
    packshot = Packshot(
        image=np.zeros((64, 64, 3), np.uint8),
        mask=np.zeros((64, 64), np.uint8),
        kind=GarmentKind.TOP,
        landmarks={},
    )
    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),)
    )
    with pytest.raises(CannotRender, match="only has a packshot"):
        renderer.render(request)


@pytest.mark.slow
def test_shopper_without_pose_cannot_be_rendered(renderer, make_person):
    shopper = make_person(400, 300, 40, seed=5)
    shopper.keypoints[:] = -1
    product = make_person(400, 300, 200, seed=6)
    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=product),)
    )
    with pytest.raises(CannotRender, match="too few body points"):
        renderer.render(request)


def test_pose_mode_fills_beyond_the_canvas_with_the_generation(make_person):
    # given a wide photo whose canvas (fitted around the person) leaves its sides uncovered
    shopper = make_person(300, 900, 40, seed=8)
    assert shopper.canvas.to_original(np.array([[0.0, 0.0]]))[0, 0] > 1
    product = make_person(300, 225, 200, seed=9)
    generated = np.zeros((256, 176, 3), np.uint8)
    generated[:, :88] = (255, 0, 0)
    generated[:, 88:] = (0, 0, 255)
    request = RenderRequest(
        shopper, (GarmentSource(kind=GarmentKind.TOP, analysis=product),), RenderMode.POSE
    )
    # when composed back
    image = compose(request, generated, np.zeros((256, 176), np.uint8))
    # then the far left repeats the generation's left edge and the far right its right edge
    assert image.shape == (300, 900, 3)
    assert tuple(image[150, 0]) == (255, 0, 0)
    assert tuple(image[150, -1]) == (0, 0, 255)
