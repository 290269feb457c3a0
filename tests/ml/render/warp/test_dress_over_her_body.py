"""warp-98: a packshot dress is at least as wide as the trousers she keeps under it between its
waist and hem (they showed beside it), never past her outline, no steeper than a skirt falls;
warp-99: a packshot top too, from its armpits (or waist) to its hem."""

from dataclasses import replace
from unittest.mock import patch

import numpy as np

from ml.garments import draw_packshot
from ml.render import get_renderer
from ml.render.warp import mesh as mesh_module
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import outer_edge
from ml.render.warp.mesh import TUNING, MeshPackshotSource, _upper_hull, body_frame
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import GREY, heavy_legged_shopper, make_person, shopper_in_a_dress

RED = (200, 30, 30)
NO_BODY_STATIONS = replace(TUNING, body_station_end=0.0)


def _dress():
    return draw_packshot(kind=GarmentKind.DRESS, colour=RED, style="sleeveless", seed=1, size=(384, 288))


def _ribbon(shopper, tuning=TUNING):
    dst = body_skeleton(shopper)
    source = MeshPackshotSource(_dress(), tuning=tuning)
    source.fit_to(shopper, dst)
    return source.garment_map(dst), body_frame(shopper, dst)


def _reach_at(ribbon, depth: float) -> tuple[float, float]:
    row = [np.interp(depth, ribbon.levels, ribbon.table[:, k]) for k in range(ribbon.table.shape[1])]
    return float(row[2]), float(row[3])


def _trousers_beside(shopper, ribbon, body, waist: float) -> list[tuple[int, float, float, float, float]]:
    """The body stations' rows (every ``body_station_step`` torso lengths) between ``waist`` and the
    ribbon's hem where her trousers reach past it: (row, her right edge, the ribbon's, her left edge,
    the ribbon's) in px from the axis. Between stations the ribbon runs straight."""
    out = []
    hem = float(ribbon.levels[-1])
    pants = shopper.parsing == C.PANTS
    stations = np.arange(TUNING.body_station_step, TUNING.body_station_end, TUNING.body_station_step)
    for y in sorted({round(float(body.at(float(level))[1])) for level in stations}):
        if not 0 <= y < pants.shape[0]:
            continue
        xs = np.flatnonzero(pants[y])
        if not xs.size:
            continue
        centre = body.mid + ((y - body.mid[1]) / body.down[1]) * body.down
        depth = float(centre @ body.down)
        if not waist + 3 <= depth <= hem - 3:
            continue
        right, left = _reach_at(ribbon, depth)
        her_right = float(centre[0] - xs.min())  # facing us: the wearer's right on the image's left
        her_left = float(xs.max() - centre[0])
        if her_right > right + 1.0 or her_left > left + 1.0:
            out.append((y, her_right, right, her_left, left))
    return out


def test_a_dress_reaches_past_her_wide_trousers_between_its_waist_and_hem():
    # given a shopper in grey trousers far wider than her torso, and a sleeveless dress packshot
    shopper = heavy_legged_shopper()
    # when the dress's ribbon is laid on her without the body stations, her trousers reach past it
    before, body = _ribbon(shopper, NO_BODY_STATIONS)
    waist = float(before.levels[2])  # the rungs: shoulder seams, armpits, waist, ..., hem
    assert len(_trousers_beside(shopper, before, body, waist)) == 3
    # then with them, no row between its waist and hem leaves her trousers beside it
    after, _ = _ribbon(shopper)
    assert _trousers_beside(shopper, after, body, waist) == []


def _grey_beside(shopper, tuning=TUNING) -> int:
    dress = _dress()
    renderer = get_renderer("warp")
    with patch.object(mesh_module, "TUNING", tuning):
        result = renderer.render(
            RenderRequest(
                shopper=shopper,
                garments=(GarmentSource(kind=dress.kind, packshot=replace(dress, extras={})),),
            )
        )
    # the rows where the dress covers her middle, from 10 px below her trousers' top (their rounded
    # tops beside the waist may show a pixel: the dress widens at most ``max_flare`` px per px) to
    # just above its hem's soft last rows
    covered = np.flatnonzero(result.garment_alpha[:, 95:106].min(axis=1) > 0.9)
    rows = covered[(covered > 170) & (covered < covered.max() - 1)]
    assert rows.size >= 20
    return int((np.abs(result.image[rows].astype(int) - GREY).max(axis=2) < 12).sum())


def test_no_grey_trouser_pixel_shows_beside_the_rendered_dress_above_its_hem():
    # given the same shopper and dress
    shopper = heavy_legged_shopper()
    # when the dress is rendered on her without the body stations, her trousers show beside it
    assert _grey_beside(shopper, NO_BODY_STATIONS) == 9
    # then with them, none of her grey trousers shows beside it above its hem
    assert _grey_beside(shopper) == 0


def test_a_slim_shopper_gets_the_same_dress_as_without_the_body_stations():
    # given a shopper narrower than the dress everywhere below its waist
    shopper = make_person(upper=(40, 60, 200), upper_to=0.3)
    # when the ribbon is laid on her with and without the body stations
    with_stations, _ = _ribbon(shopper)
    without, _ = _ribbon(shopper, NO_BODY_STATIONS)
    # then no rung was added: the two ribbons are the same
    assert np.array_equal(with_stations.levels, without.levels)
    assert np.array_equal(with_stations.table, without.table)


def test_the_upper_hull_spans_dips_and_passes_through_the_peaks():
    # given a profile with a dip between two peaks
    xs = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    ys = np.array([1.0, 3.0, 0.0, 3.0, 1.0])
    # when its upper hull is read
    hull = _upper_hull(xs, ys)
    # then the dip is spanned at the peaks' height and the ends stay
    assert hull(np.array([0.0, 1.0, 2.0, 3.0, 4.0, 0.5])).tolist() == [1.0, 3.0, 3.0, 3.0, 1.0, 2.0]


def test_the_outer_edge_bridges_the_gap_between_her_legs_not_the_background():
    # given a row: 10 px of gap between her legs at the centre, a leg 20 px wide, then background
    mask = np.zeros((5, 100), bool)
    mask[2, 10:30] = True
    centre, direction = np.array([0.0, 2.0]), np.array([1.0, 0.0])
    # when the first run is followed from the centre with and without a bridge over small gaps
    # then from between the legs the leg's outer side is found, at 30 px, uncut
    assert outer_edge(mask, centre, direction, 90.0) == (30.0, False)
    # and a gap of 30 px beyond it is not bridged by a 12 px bridge
    mask[2, 60:70] = True
    assert outer_edge(mask, centre, direction, 90.0, bridge=12.0) == (30.0, False)
    assert outer_edge(mask, centre, direction, 90.0, bridge=31.0) == (70.0, False)


def test_the_outer_edge_is_no_measure_where_the_frame_cuts_her_off():
    # given a run reaching the frame's edge, and a centre outside the frame
    mask = np.zeros((5, 40), bool)
    mask[2, 0:40] = True
    direction = np.array([1.0, 0.0])
    # when each is measured, then both are flagged as cut
    assert outer_edge(mask, np.array([20.0, 2.0]), direction, 60.0)[1] is True
    assert outer_edge(mask, np.array([20.0, 9.0]), direction, 60.0) == (0.0, True)


def test_her_old_flared_dress_adds_no_rung_it_is_removed_beside_the_new_one_as_before():
    # given a shopper in a wide blue dress and no trousers
    shopper = shopper_in_a_dress()
    # when the ribbon is laid on her with and without the body stations
    with_stations, _ = _ribbon(shopper)
    without, _ = _ribbon(shopper, NO_BODY_STATIONS)
    # then the ribbons are the same: only trousers, which stay under a dress, widen it
    assert np.array_equal(with_stations.table, without.table)


def test_the_dress_widens_no_faster_than_a_skirt_falls_below_its_waist():
    # given the shopper in wide trousers
    shopper = heavy_legged_shopper()
    before, _ = _ribbon(shopper, NO_BODY_STATIONS)
    after, _ = _ribbon(shopper)
    # when the added rungs' reach is read against the waist rung's
    waist_depth, waist_reach = float(before.levels[2]), float(before.table[2, 2])
    added = [i for i, depth in enumerate(after.levels) if not np.isclose(before.levels, depth).any()]
    assert len(added) >= 3
    # then none reaches out more than ``max_flare`` px per px below the waist
    for i in added:
        slope = (float(after.table[i, 2]) - waist_reach) / (float(after.levels[i]) - waist_depth)
        assert slope <= TUNING.max_flare + 1e-9


def test_a_top_over_her_wide_trousers_reaches_past_them_down_to_its_hem():
    # given the shopper in wide grey trousers and a drawn tee packshot reaching her hips
    shopper = heavy_legged_shopper()
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, style="tshirt", seed=1, size=(384, 288))

    def ribbon(tuning):
        dst = body_skeleton(shopper)
        source = MeshPackshotSource(tee, tuning=tuning)
        source.fit_to(shopper, dst)
        return source.garment_map(dst), body_frame(shopper, dst)

    # when its ribbon is laid on her without the body stations, her trousers reach past it at a
    # station above its hem (the rungs: shoulder seams, armpits, hem: no waist on a tee)
    before, body = ribbon(NO_BODY_STATIONS)
    armpits = float(before.levels[1])
    assert len(_trousers_beside(shopper, before, body, armpits)) == 1
    # then with them at none
    after, _ = ribbon(TUNING)
    assert _trousers_beside(shopper, after, body, armpits) == []
