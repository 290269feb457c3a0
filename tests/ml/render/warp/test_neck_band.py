"""warp-89: where her old top's band is left round the base of her neck, above a new top's lower
neckline, the new top's neckline goes up onto her old one (kept, the band read as her old collar
left; painted, as a block of skin); her top over her chest above a low neckline stays worn under it
as before (warp-45)."""

import numpy as np

from ml.render.warp import WarpRenderer, collar
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person, render_top, skin_above

BLUE = (40, 60, 200)
RED = (200, 40, 40)
NECKLINE = 82  # px: the product model's top starts this far down (her shoulders are at 72)
SPAN = 50.0  # px: the stick figure's shoulder span


def _model_with_a_scoop_neck(row: int = NECKLINE):
    """A product model in a red top that leaves her skin bare above ``row``."""
    return skin_above(make_person(upper=RED), row)


def _near(image: np.ndarray, colour, tolerance: int = 30) -> np.ndarray:
    return np.abs(image.astype(int) - np.array(colour)).max(axis=-1) <= tolerance


def test_the_new_tops_neckline_goes_up_onto_hers():
    # given a shopper in a blue top up to her neck, and a red top whose neckline is 10 px lower
    shopper = make_person(upper=BLUE)
    # when the red top is rendered on her
    result = render_top(shopper, _model_with_a_scoop_neck())
    # then none of her blue is left round the base of her neck ...
    neck_base = np.zeros(shopper.parsing.shape, bool)
    neck_base[60 : NECKLINE + 4, 86:115] = True
    assert int(_near(result.image, BLUE)[neck_base].sum()) == 0
    # ... where it was, the band is the red top, not skin ...
    band = neck_base & (shopper.parsing == C.UPPER_CLOTHES)
    band[NECKLINE - 2 :] = False
    assert int(band.sum()) > 250
    below_edge = band & (np.arange(300)[:, None] >= 70)  # the neckline's own soft edge above
    assert bool(_near(result.image, RED, 12)[below_edge].all())
    assert float(result.garment_alpha[below_edge].min()) > 0.99
    # ... and her neck above it is untouched
    neck = (shopper.parsing == C.FACE) & (np.arange(300)[:, None] < 64)
    assert np.array_equal(result.image[neck], shopper.image[neck])


def test_her_top_above_a_deep_neckline_stays_hers():
    # given the shopper in the blue top and a red top that starts at mid-chest (a bandeau)
    shopper = make_person(upper=BLUE)
    # when it is rendered on her
    result = render_top(shopper, _model_with_a_scoop_neck(row=110))
    # then her blue top between her shoulders and the bandeau is exactly hers (the bandeau not
    # stretched up over it)
    chest = np.zeros(shopper.parsing.shape, bool)
    chest[74:100, 85:116] = True
    assert np.array_equal(result.image[chest], shopper.image[chest])


def _masks():
    shape = (120, 100)
    worn = np.zeros(shape, bool)
    high = np.zeros(shape, bool)
    high[:50] = True
    garment = np.zeros(shape, np.float32)
    garment[45:, 20:80] = 1.0
    return worn, high, garment


def test_a_piece_high_on_her_neck_touching_the_garment_is_a_band():
    # given a piece of her top above the line, lying on the new garment's top edge
    worn, high, garment = _masks()
    worn[38:45, 35:65] = True
    # when the band is looked for
    band = collar.neck_band(worn, high, garment, SPAN)
    # then the whole piece is the band
    assert np.array_equal(band, worn)


def test_a_piece_reaching_below_the_line_is_no_band():
    # given a piece of her top that reaches 10 px below the line (her chest above a deep neckline)
    worn, high, garment = _masks()
    worn[38:60, 35:65] = True
    garment[38:60, 35:65] = 0.0
    # when the band is looked for
    band = collar.neck_band(worn, high, garment, SPAN)
    # then there is none
    assert int(band.sum()) == 0


def test_a_piece_away_from_the_garment_is_no_band():
    # given a piece of her top above the line, 20 px above the new garment's top edge
    worn, high, garment = _masks()
    worn[10:25, 35:65] = True
    # when the band is looked for
    band = collar.neck_band(worn, high, garment, SPAN)
    # then there is none
    assert int(band.sum()) == 0


def _garment_layer(colours: dict[int, tuple[int, int, int]]):
    """A torso layer (premultiplied RGBA, opaque) over the columns 20-80 from row 45 down, each
    row's colour from ``colours`` (the nearest row above that has one)."""
    warped = np.zeros((75, 60, 4), np.float32)
    colour = (0, 0, 0)
    for row in range(75):
        colour = colours.get(row + 45, colour)
        warped[row, :, :3] = colour
    warped[..., 3] = 255.0
    return [(warped, (20, 45, 80, 120), TORSO, "top")]


TORSO = Group.TORSO


def _body_alpha(layers) -> np.ndarray:
    alpha = np.zeros((120, 100), np.float32)
    for warped, (x0, y0, x1, y1), *_ in layers:
        alpha[y0:y1, x0:x1] = warped[..., 3] / 255.0
    return alpha


COLLAR = (250, 200, 0)
BODY = (20, 160, 90)


def test_the_garment_is_stretched_up_so_its_neckline_lies_on_the_bands_top_edge():
    # given a plain garment from row 45 down whose first row is a yellow collar, and a band of her
    # top from row 38 to 44 over its middle columns
    layers = _garment_layer({45: COLLAR, 46: BODY})
    band = np.zeros((120, 100), bool)
    band[38:45, 35:65] = True
    # when the neckline is lifted
    lifted = collar.lift_neckline(layers, band, _body_alpha(layers), SPAN, TORSO)
    warped, (x0, y0, x1, y1), group, _kind = lifted[0]
    canvas = np.zeros((120, 100, 4), np.float32)
    canvas[y0:y1, x0:x1] = warped
    # then in the band's middle columns the garment starts a pixel above the band's top edge,
    # with its yellow collar there ...
    assert group == TORSO
    for x in (45, 50, 55):
        column = canvas[:, x, 3] > 127
        assert int(np.argmax(column)) == 37, x
        assert np.abs(canvas[37, x, :3] - COLLAR).max() < 1.0, x
        # ... and the garment is whole below it (nothing torn open)
        assert bool(column[37:].all()), x
    # ... while beside the band the garment is where it was
    for x in (22, 78):
        assert int(np.argmax(canvas[:, x, 3] > 127)) == 45, x
    # ... and far below, it is unmoved
    assert np.array_equal(canvas[100:120, 20:80], layers[0][0][55:75])


def test_without_a_band_above_it_the_garment_is_not_moved():
    # given the garment and a band of her top beside it, not above it
    layers = _garment_layer({45: COLLAR, 46: BODY})
    band = np.zeros((120, 100), bool)
    band[50:60, 82:90] = True
    # when the neckline is lifted
    lifted = collar.lift_neckline(layers, band, _body_alpha(layers), SPAN, TORSO)
    # then the very same layers come back
    assert lifted is layers


def test_the_part_of_her_band_the_lifted_top_does_not_cover_stays_hers():
    # given her blue top, a red garment body from row 82 down over columns 86-113 only, and her
    # top above it (rows 68-81, between her arms) kept under it
    shopper = make_person(upper=BLUE)
    dst = body_skeleton(shopper)
    warped = np.zeros((218, 28, 4), np.float32)
    warped[...] = (200.0, 40.0, 40.0, 255.0)
    layers = [(warped, (86, 82, 114, 300), Group.TORSO, GarmentKind.TOP)]
    worn = (shopper.parsing == C.UPPER_CLOTHES) & (np.arange(300)[:, None] < 82)
    # when the new top's neckline is put on hers
    lifted, kept = WarpRenderer._neckline_on_hers(layers, shopper, dst, worn, SPAN)
    # then the garment now reaches up over the band's middle ...
    alpha = np.zeros(worn.shape, np.float32)
    ((moved, (x0, y0, x1, y1), _group, _kind),) = lifted
    alpha[y0:y1, x0:x1] = moved[..., 3] / 255.0
    assert float(alpha[70:82, 92:108].min()) > 0.99
    # ... and of her top only what it leaves uncovered beside it stays kept, none under it
    beside = np.zeros(worn.shape, bool)
    beside[:, 82:85] = beside[:, 115:118] = True
    assert int(worn[beside].sum()) > 50
    assert np.array_equal(kept[beside], worn[beside])
    assert int((kept & (alpha > 0.5)).sum()) == 0


def test_a_printed_garment_is_not_stretched():
    # given a garment printed in green and magenta stripes two rows high from its top edge down,
    # and the band of her top above it
    stripes = {row: (BODY if (row // 2) % 2 else (220, 30, 160)) for row in range(45, 120)}
    layers = _garment_layer(stripes)
    band = np.zeros((120, 100), bool)
    band[38:45, 35:65] = True
    # when the neckline is lifted
    lifted = collar.lift_neckline(layers, band, _body_alpha(layers), SPAN, TORSO)
    # then the very same layers come back (a print stretched up to her neck read as smeared)
    assert lifted is layers
