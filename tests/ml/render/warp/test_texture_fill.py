"""warp-25: under the product model's hands an on-model garment gets its own texture back (it was a
flat slab of its mean colour: "a grey slab across the waist" of a printed dress)."""

import numpy as np

from ml.render.warp.texture import TUNING, _best_shift, textured_fill

HEIGHT, WIDTH = 200, 120


def _printed_dress():
    """A dress printed with light dots on navy, a hand-sized hole in it filled flat with its mean
    colour; returns the photo, the flat-filled image, the garment and the hole."""
    yy, xx = np.mgrid[:HEIGHT, :WIDTH]
    photo = np.full((HEIGHT, WIDTH, 3), (30, 35, 70), np.uint8)
    dots = ((yy % 12) < 4) & ((xx % 12) < 4)
    photo[dots] = (170, 190, 220)
    garment = np.ones((HEIGHT, WIDTH), bool)
    hole = (yy >= 90) & (yy < 110) & (xx >= 40) & (xx < 80)
    garment[hole] = False
    photo[hole] = (200, 160, 140)  # the model's hand
    flat = photo.copy()
    flat[hole] = photo[garment].mean(axis=0).astype(np.uint8)
    return photo, flat, garment, hole


def _assert_printed_without_backdrop(out, photo, garment, hole, rows, cols):
    """The hole's ``rows`` x ``cols`` show the print's spread of colours, and no hole pixel is
    backdrop white."""
    part = np.zeros_like(hole)
    part[rows[0] : rows[1], cols[0] : cols[1]] = True
    assert out[part].std(axis=0).min() > 0.5 * photo[garment].std(axis=0).min()
    assert not (out[hole].astype(int).min(axis=1) > 240).any()


def test_a_hole_in_a_print_gets_the_print_with_the_flat_fills_light():
    # given a printed dress whose hole under a hand was filled with its flat mean colour
    photo, flat, garment, hole = _printed_dress()
    # when the garment's texture is brought into the hole
    out = textured_fill(photo, flat, garment, hole)
    # then the hole shows the print's dots and navy again, not one colour, and none of the hand
    inner = hole.copy()
    inner[[90, 91, 108, 109], :] = inner[:, [40, 41, 78, 79]] = False
    assert out[inner].std(axis=0).min() > 0.5 * photo[garment].std(axis=0).min()
    assert not (np.abs(out[hole].astype(int) - (200, 160, 140)).sum(axis=1) < 30).any()
    # and its mean light stays the flat fill's
    assert np.abs(out[hole].mean(axis=0) - flat[hole].mean(axis=0)).max() < 12
    # and nothing outside the hole changes
    assert (out[~hole] == flat[~hole]).all()


def test_a_hole_no_shifted_copy_covers_gets_the_garments_light_without_texture():
    # given a hole nearly as tall and as wide as the garment, filled flat in a wrong grey: no copy
    # shifted by 1-2 hole heights or 1-1.5 hole widths lies on it
    photo, flat, garment, _ = _printed_dress()
    hole = np.zeros_like(garment)
    hole[30:170, 20:100] = True
    garment = ~hole
    flat[hole] = 90
    # when the texture is brought in
    out = textured_fill(photo, flat, garment, hole)
    # then the hole takes the printed garment's mean light, as a smooth fill without its dots
    assert np.abs(out[hole].mean(axis=0) - photo[garment].mean(axis=0)).max() < 5
    assert out[hole].std(axis=0).max() < 0.25 * photo[garment].std(axis=0).min()
    # and nothing outside the hole changes
    assert (out[~hole] == flat[~hole]).all()


def test_a_hole_with_garment_only_beside_it_gets_the_print_from_the_side():
    # given a hole as tall as most of the garment (no copy up or down covers it), garment beside it
    photo, flat, garment, _ = _printed_dress()
    hole = np.zeros_like(garment)
    hole[30:170, 40:80] = True
    garment = ~hole
    flat[hole] = photo[garment].mean(axis=0).astype(np.uint8)
    # when the texture is brought in
    out = textured_fill(photo, flat, garment, hole)
    # then the hole shows the print's dots and navy again, away from its edges
    inner = np.zeros_like(hole)
    inner[40:160, 44:76] = True
    assert out[inner].std(axis=0).min() > 0.5 * photo[garment].std(axis=0).min()
    assert (out[~hole] == flat[~hole]).all()


def test_what_the_first_copy_leaves_uncovered_gets_another():
    # given a hole at the top of the dress and a notch of backdrop in the dress's side below it, so
    # that the copy from below that covers most of the hole runs into the notch for its right part
    photo, flat, garment, _ = _printed_dress()
    hole = np.zeros_like(garment)
    hole[10:50, 40:80] = True
    garment = ~hole
    garment[50:90, 70:80] = False
    photo[50:90, 70:80] = 255
    flat[hole] = photo[garment].mean(axis=0).astype(np.uint8)
    # when the texture is brought in
    out = textured_fill(photo, flat, garment, hole)
    # then the part the first copy left (rows 10-30 at the right, over the notch) has the print too,
    # and no backdrop came in
    _assert_printed_without_backdrop(out, photo, garment, hole, rows=(12, 28), cols=(72, 78))


def test_a_copy_covering_most_of_the_hole_is_taken_when_none_covers_nearly_all():
    # given a hole at the top of a narrow dress with a tall notch of backdrop below its right part:
    # the copies from below lie on the dress for about two thirds of the hole, those from the sides
    # for less than half
    photo, flat, _, hand = _printed_dress()
    photo[hand] = photo[hand.nonzero()[0] - 20, hand.nonzero()[1]]  # no hand: printed dress there
    garment = np.zeros_like(hand)
    garment[:, 20:100] = True
    hole = np.zeros_like(garment)
    hole[10:50, 40:80] = True
    garment &= ~hole
    garment[50:150, 68:80] = False
    photo[~garment & ~hole] = 255
    flat = photo.copy()
    flat[hole] = photo[garment].mean(axis=0).astype(np.uint8)
    # when the texture is brought in
    out = textured_fill(photo, flat, garment, hole)
    # then the part the copy from below covers shows the print, not the flat fill, and no backdrop
    # came in
    _assert_printed_without_backdrop(out, photo, garment, hole, rows=(14, 46), cols=(44, 62))


def test_a_copy_covering_nearly_all_of_the_hole_wins_over_a_closer_match_covering_most():
    # given a plain garment, a 10 x 10 hole, and a tall notch of backdrop above it: every copy from
    # above lies on the garment for 70 % of the hole and matches the ring exactly; the copies from
    # below cover all of it but run into rows a shade lighter
    image = np.full((60, 40, 3), 100, np.uint8)
    image[35:50] = 110
    garment = np.ones((60, 40), bool)
    garment[0:20, 17:20] = False
    hole = np.zeros_like(garment)
    hole[20:30, 10:20] = True
    ring = np.zeros_like(garment)
    ring[15:35, 5:25] = True
    ring &= ~hole & garment
    source = garment & ~hole
    # when the best shift is chosen
    shift = _best_shift(image, hole, ring, garment, source, (0, 0), (10, 10), TUNING)
    # then it is a copy from below, covering all of the hole, not a closer match covering 70 % of it
    assert shift is not None
    assert shift[0] > 0
    assert shift[1] == 0


def test_a_hole_beside_the_models_skin_takes_its_light_from_the_garment():
    # given a plain navy dress with a hand-sized hole filled flat in navy, and the model's forearm
    # lying over the dress's side beside the hole (only there: above and below it is dress)
    navy = (30, 35, 70)
    photo = np.full((HEIGHT, WIDTH, 3), navy, np.uint8)
    yy, xx = np.mgrid[:HEIGHT, :WIDTH]
    photo[(yy // 3 + xx // 3) % 2 == 0] = (40, 45, 80)  # a fine weave, so a copy brings detail
    garment = np.ones((HEIGHT, WIDTH), bool)
    garment[:, :20] = False
    photo[:, :20] = 250  # the backdrop
    forearm = (yy >= 70) & (yy < 130) & (xx < 40)
    garment[forearm] = False
    photo[forearm] = (230, 190, 170)
    hole = (yy >= 70) & (yy < 130) & (xx >= 40) & (xx < 80)
    garment[hole] = False
    flat = photo.copy()
    flat[hole] = navy
    # when the texture is brought in
    out = textured_fill(photo, flat, garment, hole)
    # then the hole is the dress's colour to its edge by her forearm, not lightened by it
    weave = photo[garment].mean(axis=0)
    assert np.abs(out[hole].mean(axis=0) - weave).max() < 4
    assert np.abs(out[70:130, 40:50].reshape(-1, 3).mean(axis=0) - weave).max() < 6


def test_a_speck_keeps_the_flat_fill():
    # given a hole smaller than the smallest one that is textured
    photo, flat, garment, _ = _printed_dress()
    hole = np.zeros_like(garment)
    hole[50:54, 50:54] = True
    assert hole.sum() < TUNING.min_area
    flat[hole] = 90
    # when the texture is brought in, then the speck keeps its flat fill
    assert (textured_fill(photo, flat, garment | hole, hole) == flat).all()
