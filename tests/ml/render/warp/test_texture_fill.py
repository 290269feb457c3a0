"""warp-25: under the product model's hands an on-model garment gets its own texture back (it was a
flat slab of its mean colour: "a grey slab across the waist" of a printed dress)."""

import numpy as np

from ml.render.warp.texture import TUNING, textured_fill

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


def test_a_hole_no_shifted_copy_covers_keeps_the_flat_fill():
    # given a hole as tall as most of the garment: no copy shifted by 1-2 hole heights lies on it
    photo, flat, garment, _ = _printed_dress()
    hole = np.zeros_like(garment)
    hole[30:170, 40:80] = True
    garment = ~hole
    flat[hole] = 90
    # when the texture is brought in, then the flat fill stays as it was
    assert (textured_fill(photo, flat, garment, hole) == flat).all()


def test_a_speck_keeps_the_flat_fill():
    # given a hole smaller than the smallest one that is textured
    photo, flat, garment, _ = _printed_dress()
    hole = np.zeros_like(garment)
    hole[50:54, 50:54] = True
    assert hole.sum() < TUNING.min_area
    flat[hole] = 90
    # when the texture is brought in, then the speck keeps its flat fill
    assert (textured_fill(photo, flat, garment | hole, hole) == flat).all()
