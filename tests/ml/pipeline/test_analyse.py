"""The stored packshot analysis keeps what the renderer needs: mask, landmarks and the structure."""

import io

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
    assert output.analyzer_version == f"packshot-v2+{GARMENTS_VERSION}"


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
    assert PACKSHOT_FORMAT == "packshot-v2"
