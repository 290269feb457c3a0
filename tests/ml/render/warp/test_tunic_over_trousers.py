"""warp-87: a tunic over trousers goes with a new top (kept below its hem it read as her old garment
left), and her trousers are continued up from where they show below the tunic: as wide as they are
there, with their look across; a dress over bare legs still stays below a new top's hem."""

import numpy as np

from ml.render import get_renderer
from ml.render.warp import trousers
from ml.render.warp.body import body_skeleton, shoulder_span
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import COLOURS, make_person

BLUE = (40, 60, 200)
RED = (200, 40, 40)
KHAKI = (170, 140, 90)
KNEE_ROW = 215  # the stick figure's tunic (``upper_to=1.0``) ends at her knees


def _tunic_over_trousers(colour=KHAKI):
    return make_person(upper=BLUE, upper_to=1.0, pants=colour)


def _render(shopper, product):
    request = RenderRequest(
        shopper=shopper, garments=(GarmentSource(kind=GarmentKind.TOP, analysis=product),)
    )
    return get_renderer("warp").render(request)


def _near(image: np.ndarray, colour, tolerance: int = 30) -> np.ndarray:
    return np.abs(image.astype(int) - np.array(colour)).max(axis=-1) <= tolerance


def test_a_new_top_on_a_tunic_over_trousers_leaves_no_tunic_below_its_hem():
    # given a shopper in a blue tunic to her knees over khaki trousers, and a red top to the hips
    shopper = _tunic_over_trousers()
    # when the top is rendered on her
    result = _render(shopper, make_person(upper=RED, upper_to=0.0))
    # then nothing of the blue tunic is left between the new top's hem and her knees ...
    legs = np.zeros(shopper.parsing.shape, bool)
    legs[172:KNEE_ROW, 60:140] = True
    assert int(_near(result.image, BLUE)[legs].sum()) == 0
    # ... her thighs there are in her trousers' colour, down each thigh bone ...
    for x in (85, 115):
        assert bool(_near(result.image[172:KNEE_ROW, x], KHAKI).all()), x
    # ... and her own trousers below the knees are untouched
    shins = shopper.parsing[KNEE_ROW + 5 : 260] == C.PANTS
    assert np.array_equal(result.image[KNEE_ROW + 5 : 260][shins], shopper.image[KNEE_ROW + 5 : 260][shins])


def _lit_from_her_right(shopper):
    """Her visible trousers with each shin's left half in shadow."""
    dark = tuple(int(v * 0.6) for v in KHAKI)
    for x_bone in (84, 116):
        shins = np.zeros(shopper.parsing.shape, bool)
        shins[KNEE_ROW + 1 :, x_bone - 9 : x_bone] = True
        shopper.image[shins & (shopper.parsing == C.PANTS)] = dark
    return shopper


def _left_and_right_quarters(image: np.ndarray, row: int, xs: np.ndarray) -> tuple[float, float]:
    quarter = max(1, xs.size // 4)
    return image[row, xs[:quarter]].astype(float).mean(), image[row, xs[-quarter:]].astype(float).mean()


def test_the_new_tops_render_continues_her_trousers_with_their_look_not_painted_tubes():
    # given the shopper in the tunic over trousers lit from her right
    shopper = _lit_from_her_right(_tunic_over_trousers())
    # when the red top is rendered on her
    result = _render(shopper, make_person(upper=RED, upper_to=0.0))
    # then halfway down her right thigh, under the removed tunic, the leg's left quarter is in
    # shadow as her shins are (the clean plate's tubes are shaded alike on both sides)
    row = 190
    xs = 76 + np.flatnonzero(~_near(result.image[row, 76:100], COLOURS[C.BACKGROUND], 5))
    left, right = _left_and_right_quarters(result.image, row, xs)
    assert xs.size >= 16
    assert left < 0.8 * right, (left, right)


def test_a_dress_over_bare_legs_still_stays_below_a_new_tops_hem():
    # given a shopper in the blue tunic to her knees over bare legs (a dress)
    shopper = make_person(upper=BLUE, upper_to=1.0)
    # when the red top is rendered on her
    result = _render(shopper, make_person(upper=RED, upper_to=0.0))
    # then below the new top's hem her dress is still hers, as a skirt
    skirt = np.zeros(shopper.parsing.shape, bool)
    skirt[185:210, 80:121] = True
    assert np.array_equal(result.image[skirt], shopper.image[skirt])


def test_a_tie_hanging_over_her_trousers_is_no_tunic_her_trousers_stay_hers():
    # given a shopper in a blue top to her hips whose tie hangs down between her legs below her
    # knees (a long top by the share below mid-thigh, but over a quarter of her thighs at most),
    # over khaki trousers
    shopper = make_person(upper=BLUE, upper_to=0.0, pants=KHAKI)
    tie = np.zeros(shopper.parsing.shape, bool)
    tie[160:235, 94:106] = True
    shopper.parsing[tie] = C.UPPER_CLOTHES
    shopper.image[tie] = BLUE
    # when the red top is rendered on her
    result = _render(shopper, make_person(upper=RED, upper_to=0.0))
    # then her trousers beside the tie are her own pixels, and the tie below the new top's hem too
    thighs = (shopper.parsing == C.PANTS) & (np.arange(300)[:, None] >= 175)
    assert int(thighs.sum()) > 1000
    assert np.array_equal(result.image[thighs], shopper.image[thighs])
    assert np.array_equal(result.image[200:235, 95:105], shopper.image[200:235, 95:105])


def _removed_tunic(shopper, from_row: int = 160):
    removed = shopper.parsing == C.UPPER_CLOTHES
    removed[:from_row] = False
    return removed


def _continued(shopper, removed=None):
    """The picture with her trousers continued over the removed tunic, the pixels changed, and
    those of them in her trousers' colours (the legs drawn)."""
    base = shopper.image.copy()
    removed = _removed_tunic(shopper) if removed is None else removed
    changed = trousers.continue_trousers(base, shopper, body_skeleton(shopper), removed)
    legs = changed & ~_near(base, COLOURS[C.BACKGROUND], 12)
    return base, changed, legs


def test_her_trousers_run_from_her_hips_to_their_width_below_the_hem():
    # given the shopper in the tunic over trousers (thighs 12 px, shins 9 px either side of the bone)
    shopper = _tunic_over_trousers()
    removed = _removed_tunic(shopper)
    # when her trousers are continued over the removed tunic
    base, changed, legs = _continued(shopper, removed)
    # then right above the knees each leg in the picture is as wide as her trousers right below them
    # (the tunic's part drawn, the rest hers) ...
    trousers_shown = _near(base, KHAKI, 12)
    for x0, x1 in ((60, 100), (100, 140)):
        below = int((shopper.parsing[KNEE_ROW + 1, x0:x1] == C.PANTS).sum())
        assert below in range(19, 25)
        assert int(legs[KNEE_ROW - 1, x0:x1].sum()) >= below - 4
        assert int(trousers_shown[KNEE_ROW - 1, x0:x1].sum()) in (below - 1, below, below + 1), (x0, x1)
    # ... down to the crotch the two legs are one band of trousers across ...
    hip_row = legs[168, 60:140]
    assert bool(hip_row[np.flatnonzero(hip_row)[0] : np.flatnonzero(hip_row)[-1] + 1].all())
    # ... every leg pixel is the trousers' colour, and outside the removed tunic only her own
    # trousers were drawn over (in their colour, with the rest of the leg), from her knees down
    # through the hem's shadow and no farther
    assert bool(_near(base, KHAKI, 12)[legs].all())
    assert int(legs.sum()) > 1500
    outside = changed & ~removed
    assert bool((shopper.parsing[outside] == C.PANTS).all())
    shadow = round(trousers.TUNING.hem_shade * shoulder_span(shopper.keypoints))
    assert shadow >= 2
    assert bool(outside[KNEE_ROW + 1].any())
    assert not bool(outside[KNEE_ROW + 1 + shadow + 1 :].any())


def test_her_trousers_keep_their_look_across():
    # given her trousers lit from her right: each shin's left half darker than its right
    shopper = _lit_from_her_right(_tunic_over_trousers())
    # when they are continued up over the removed tunic
    base, _changed, legs = _continued(shopper)
    # then halfway up each thigh the leg's outer-left quarter is darker than its right quarter
    row = 190
    for x0, x1 in ((60, 100), (100, 140)):
        xs = x0 + np.flatnonzero(legs[row, x0:x1])
        left, right = _left_and_right_quarters(base, row, xs)
        assert left < 0.8 * right, (x0, left, right)


def _flaring(shopper, label=C.UPPER_CLOTHES, colour=BLUE):
    """Her tunic flaring out beside her thighs above the knees, the flare parsed as ``label``."""
    flare = np.zeros(shopper.parsing.shape, bool)
    flare[170:KNEE_ROW, 55:145] = True
    flare &= shopper.parsing == C.BACKGROUND
    shopper.parsing[flare] = label
    shopper.image[flare] = colour
    shopper.person_mask = ((shopper.parsing > 0) * 255).astype(np.uint8)
    return shopper


def test_beside_the_continued_legs_is_backdrop_not_painted_legs():
    # given the shopper in a tunic flaring out beside her thighs
    shopper = _flaring(_tunic_over_trousers())
    # when her trousers are continued over the removed tunic
    base, changed, legs = _continued(shopper)
    # then the flare's far sides at mid-thigh are the backdrop's colour, not trousers or tunic
    for x in (57, 142):
        assert changed[200, x] and not legs[200, x]
        assert bool(_near(base[200:201, x], COLOURS[C.BACKGROUND], 12).all()), x


def test_the_backdrop_beside_her_legs_meets_her_photos_own_shadowed_backdrop():
    # given the flaring tunic against a backdrop in her shadow right beside it (darker than the rest)
    shopper = _flaring(_tunic_over_trousers())
    shade = np.zeros(shopper.parsing.shape, bool)
    shade[160:230, 40:160] = True
    shade &= shopper.parsing == C.BACKGROUND
    shopper.image[shade] = (190, 190, 190)
    # when her trousers are continued over the removed tunic
    base, changed, _legs = _continued(shopper)
    # then where the backdrop is filled beside the flare's edge it is as dark as her photo's shadow
    # right outside it, not the lighter backdrop farther away
    for x_fill, x_photo in ((57, 53), (142, 146)):
        assert changed[195, x_fill] and not changed[195, x_photo]
        step = np.abs(base[195, x_fill].astype(int) - base[195, x_photo].astype(int)).max()
        assert step <= 8, (x_fill, step)


def test_her_tunics_hem_parsed_as_bare_leg_goes_with_it():
    # given the tunic's gold hem band just above her knees, which the parser took for bare leg
    gold = (200, 160, 90)
    shopper = _tunic_over_trousers()
    band = np.zeros(shopper.parsing.shape, bool)
    band[KNEE_ROW - 12 : KNEE_ROW, 55:145] = True
    band &= shopper.person_mask > 127
    band &= shopper.parsing == C.UPPER_CLOTHES
    shopper.parsing[band] = C.LEGS
    shopper.image[band] = gold
    removed = _removed_tunic(shopper)
    # when her trousers are continued over the removed tunic (the band is not in it)
    base, changed, legs = _continued(shopper, removed)
    # then nothing of the gold band is left: her trousers run through it, the backdrop beside them
    assert not bool((band & ~changed).any())
    assert int(_near(base, gold, 12)[band].sum()) == 0
    for x in (84, 116):
        assert bool(legs[KNEE_ROW - 12 : KNEE_ROW, x].all()), x


def test_a_tunic_to_her_ankles_shows_no_trousers_to_continue():
    # given a shopper whose tunic covers her legs to the ankles (no trousers show below it)
    shopper = _tunic_over_trousers()
    down = np.zeros(shopper.parsing.shape, bool)
    down[160:, 60:140] = True
    shopper.parsing[down & (shopper.parsing == C.PANTS)] = C.UPPER_CLOTHES
    # when her trousers would be continued
    base, changed, _legs = _continued(shopper)
    # then nothing changed: the picture is as it was
    assert not changed.any()
    assert np.array_equal(base, shopper.image)
