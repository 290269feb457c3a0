"""The stored packshot analysis keeps what the renderer needs: mask, landmarks and the structure."""

import io

from PIL import Image

from ml.garments import draw_packshot, prepare_packshot
from ml.types import GarmentKind
from tryon import engine


def _png(image) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def test_stored_packshot_keeps_its_structure():
    # given a tank top's packshot, as a merchant uploads it
    drawn = draw_packshot(kind=GarmentKind.TOP, colour=(200, 40, 40), style="tank", seed=2, size=(384, 288))
    data = _png(drawn.image)
    # when the store analyses it and a worker loads the stored analysis
    output = engine.analyse_packshot(data, kind="top", landmarks=None)
    loaded = engine.load_packshot(output.data)
    # then the garment's structure comes back as it was read (the renderer's symmetry axis, sleeves)
    fresh = prepare_packshot(drawn.image, GarmentKind.TOP)
    assert loaded.structure is not None
    assert loaded.structure == fresh.structure
    assert loaded.structure.sleeves == "none"
    assert output.analyzer_version == engine.PACKSHOT_FORMAT
