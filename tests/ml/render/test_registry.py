"""Renderers describe themselves in the registry; the store's choice follows their entries."""

import numpy as np
import pytest

from ml.errors import RendererUnavailable
from ml.render import registry
from ml.types import (
    KP,
    BodyCoverage,
    CanvasTransform,
    GarmentKind,
    GarmentSource,
    Packshot,
    PhotoAnalysis,
    RenderRequest,
    View,
)
from tests.ml.render import example_renderer


def test_the_builtin_renderers_describe_themselves_without_loading():
    # given the registry's entries of the renderers that ship
    warp, adgan = registry.renderer_info("warp"), registry.renderer_info("adgan")
    # then each says what it can use and needs
    assert (warp.photo_roles, warp.needs_gpu) == (("packshot", "on_model"), False)
    assert (adgan.photo_roles, adgan.needs_gpu) == (("on_model",), True)
    assert warp.kinds == adgan.kinds == frozenset(GarmentKind)
    assert registry.DEFAULT_RENDERER == "warp"
    assert registry.extras_version("warp") == str(registry.renderer_class("warp").version)


def test_the_first_renderer_that_can_render_a_product_is_picked():
    names = registry.fallback_order(["adgan"])
    # an on-model photo goes to adgan (first), a packshot-only product to the default renderer
    assert names == ["adgan", "warp"]
    assert (
        registry.pick_renderer(names, kinds=["top"], mode="tryon", roles=[{"on_model", "packshot"}])
        == "adgan"
    )
    assert registry.pick_renderer(names, kinds=["top"], mode="tryon", roles=[{"packshot"}]) == "warp"
    # an outfit goes to a renderer that can use a photo of every garment
    both = [{"on_model"}, {"packshot"}]
    assert registry.pick_renderer(names, kinds=["top", "bottom"], mode="tryon", roles=both) == "warp"
    assert registry.pick_renderer(["adgan"], kinds=["top"], mode="tryon", roles=[{"packshot"}]) is None


def test_an_example_renderer_is_added_by_its_module_and_registry_entry_alone():
    # given the example module (imported above: that registered it)
    names = registry.fallback_order([example_renderer.OutlineRenderer.name])
    # then the registry knows it and the store's choice uses it for what its entry declares only
    assert "example-outline" in registry.renderer_names()
    assert registry.renderer_info("example-outline") == example_renderer.INFO
    assert (
        registry.pick_renderer(names, kinds=["bottom"], mode="tryon", roles=[{"packshot"}])
        == "example-outline"
    )
    assert registry.pick_renderer(names, kinds=["top"], mode="tryon", roles=[{"packshot"}]) == "warp"
    assert registry.pick_renderer(names, kinds=["bottom"], mode="pose", roles=[{"packshot"}]) == "warp"
    assert registry.extras_version("example-outline") == "1"


def test_a_renderer_without_an_entry_gets_the_defaults_and_unknown_names_a_sentence():
    class Plain(registry.Renderer):
        name = "test-plain"
        version = "3"

        def render(self, request):
            raise AssertionError("never")

    registry.register_renderer(Plain)
    info = registry.renderer_info("test-plain")
    assert (info.kinds, info.photo_roles, info.needs_gpu) == (
        frozenset(GarmentKind),
        ("packshot", "on_model"),
        False,
    )
    with pytest.raises(RendererUnavailable, match="no renderer called 'nope'"):
        registry.renderer_info("nope")


def _shopper() -> PhotoAnalysis:
    """A 64x48 grey photo of a person filling the frame, hips at y=34."""
    keypoints = np.full((18, 2), -1.0, np.float32)
    keypoints[KP["right_hip"]], keypoints[KP["left_hip"]] = (20, 34), (28, 34)
    return PhotoAnalysis(
        image=np.full((64, 48, 3), 120, np.uint8),
        keypoints=keypoints,
        keypoint_scores=np.where(keypoints[:, 0] >= 0, 0.9, 0.0).astype(np.float32),
        person_mask=np.full((64, 48), 255, np.uint8),
        parsing=np.zeros((64, 48), np.uint8),
        view=View.FRONT,
        coverage=BodyCoverage(head=True, torso=True, arms=True, legs=True),
        findings=(),
        canvas=CanvasTransform(scale=1.0, offset_x=0.0, offset_y=0.0, source_size=(64, 48)),
        analyzer_version="test",
    )


def test_the_example_renders_a_bottom():
    # given a blue packshot bottom and a shopper
    packshot = Packshot(
        image=np.full((40, 30, 3), (20, 40, 200), np.uint8),
        mask=np.full((40, 30), 255, np.uint8),
        kind=GarmentKind.BOTTOM,
        landmarks={},
    )
    garment = GarmentSource(kind=GarmentKind.BOTTOM, packshot=packshot)
    # when the example renders it through the registry
    result = registry.get_renderer("example-outline").render(
        RenderRequest(shopper=_shopper(), garments=(garment,))
    )
    # then the person below the hips is the garment's colour, above them the photo is unchanged
    assert tuple(result.image[50, 24]) == (20, 40, 200)
    assert tuple(result.image[20, 24]) == (120, 120, 120)
