"""The stored packshot analysis keeps what the renderer needs: mask, landmarks and the structure."""

import io

import numpy as np
from PIL import Image

from ml import pipeline
from ml.garments import GARMENTS_VERSION, draw_packshot, prepare_packshot
from ml.types import PACKSHOT_FORMAT, GarmentKind, Packshot


def _png(image) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def test_stored_packshot_keeps_its_structure():
    # given a tank top's packshot, as a merchant uploads it
    drawn = draw_packshot(kind=GarmentKind.TOP, colour=(200, 40, 40), style="tank", seed=2, size=(384, 288))
    data = _png(drawn.image)
    # when the store analyses it and a worker loads the stored analysis
    output = pipeline.analyse_packshot(data, kind="top", landmarks=None)
    loaded = Packshot.load(output.data)
    # then the garment's structure comes back as it was read (the renderer's symmetry axis, sleeves)
    fresh = prepare_packshot(drawn.image, GarmentKind.TOP)
    assert loaded.structure is not None
    assert loaded.structure == fresh.structure
    assert loaded.structure.sleeves == "none"
    assert output.analyzer_version == pipeline.packshot_analysis_version()
    assert output.analyzer_version == f"packshot-v3+{GARMENTS_VERSION}"


def test_a_stored_packshot_comes_back_whole_and_is_told_from_a_person_analysis():
    # given a drawn packshot with its landmarks
    drawn = draw_packshot(kind=GarmentKind.DRESS, colour=(20, 110, 80), seed=3, size=(192, 144))
    # when it is stored and loaded again
    data = drawn.to_bytes()
    loaded = Packshot.load(data)
    # then image, mask, kind and landmarks are the same, and the stored bytes say what they are
    assert (loaded.image == drawn.image).all() and (loaded.mask == drawn.mask).all()
    assert (loaded.kind, loaded.landmarks, loaded.structure) == (drawn.kind, drawn.landmarks, None)
    assert Packshot.is_packshot_data(data) is True
    assert drawn.metadata()["kind"] == "dress"
    assert PACKSHOT_FORMAT == "packshot-v3"


def _warp_choice():
    from ml.pipeline import choose_renderer

    return choose_renderer("warp", instantiate=True)


def _render_top(packshot):
    from ml.render import get_renderer
    from ml.types import GarmentSource, RenderRequest
    from tests.support.people import make_person

    request = RenderRequest(
        shopper=make_person(upper=(40, 60, 200)),
        garments=(GarmentSource(kind=GarmentKind.TOP, packshot=packshot),),
    )
    return get_renderer("warp").render(request)


def test_the_packshot_layer_is_prepared_with_the_analysis_and_used_by_the_renderer(monkeypatch):
    # given a tee's packshot analysed as the store does, with the warp renderer enabled
    from ml.render.warp import sources

    drawn = draw_packshot(kind=GarmentKind.TOP, colour=(200, 40, 40), style="tshirt", seed=2, size=(384, 288))
    choice = _warp_choice()
    output = pipeline.analyse_packshot(_png(drawn.image), kind="top", landmarks=None, renderer=choice)
    stored = Packshot.load(output.data)
    plain = Packshot.load(pipeline.analyse_packshot(_png(drawn.image), kind="top", landmarks=None).data)
    # then the stored analysis carries the layer, tagged with the renderer's version
    assert output.extras_for == choice.key
    assert set(stored.extras) == {*sources.LAYER_EXTRAS, sources.LAYER_VERSION_EXTRA}
    assert plain.extras == {}
    # when a card is rendered from it in a fresh process (no cached layer), the layer is not built
    # again, and the card is the one made without the stored layer, byte for byte
    sources.clear_packshot_cache()
    expected = _render_top(plain)
    sources.clear_packshot_cache()
    built = []
    monkeypatch.setattr(sources, "_build_packshot_layer", lambda *args: built.append(args) or None)
    result = _render_top(stored)
    assert built == []
    assert np.array_equal(result.image, expected.image)


def test_a_stored_layer_of_another_renderer_version_is_not_used(monkeypatch):
    # given a stored layer tagged with an older version of the renderer
    from ml.render.warp import sources

    drawn = draw_packshot(kind=GarmentKind.TOP, colour=(200, 40, 40), style="tshirt", seed=2, size=(384, 288))
    output = pipeline.analyse_packshot(_png(drawn.image), kind="top", landmarks=None, renderer=_warp_choice())
    stored = Packshot.load(output.data)
    stored.extras[sources.LAYER_VERSION_EXTRA] = np.frombuffer(b"warp-1+00000000", dtype=np.uint8)
    stored.extras[sources.LAYER_EXTRAS[0]] = np.zeros_like(stored.extras[sources.LAYER_EXTRAS[0]])
    # when a card is rendered from it, then the layer is built afresh (the zeroed stored one ignored)
    sources.clear_packshot_cache()
    real = sources._build_packshot_layer
    built = []
    monkeypatch.setattr(sources, "_build_packshot_layer", lambda *args: built.append(1) or real(*args))
    _render_top(stored)
    assert built == [1]


def test_a_renderer_failing_to_prepare_a_packshot_never_fails_its_analysis(caplog):
    # given an enabled renderer whose per-packshot work raises
    from ml.pipeline import RendererChoice

    class Broken:
        def precompute_packshot(self, packshot):
            raise KeyError("sleeve_right_outer")

    choice = RendererChoice(name="broken", version="1", instance=Broken())
    drawn = draw_packshot(kind=GarmentKind.TOP, colour=(200, 40, 40), style="tshirt", seed=2, size=(192, 144))
    # when the packshot is analysed
    output = pipeline.analyse_packshot(_png(drawn.image), kind="top", landmarks=None, renderer=choice)
    # then the analysis is whole, holds nothing of that renderer, and the failure is logged
    assert Packshot.load(output.data).extras == {}
    assert output.extras_for == ""
    assert "the broken renderer could not prepare this packshot ahead" in caplog.text
