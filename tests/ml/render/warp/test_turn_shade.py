"""warp-92: a packshot's body is shaded as a lit cylinder across each row (the body turning away from
the camera towards its sides), where a flat-laid packshot has no such falloff."""

import numpy as np
import pytest

from ml.garments import draw_packshot
from ml.render.warp.body import body_skeleton
from ml.render.warp.geometry import Group
from ml.render.warp.mesh import MeshPackshotSource, MeshTuning
from ml.types import GarmentKind
from tests.support.people import make_person

RED = (200, 30, 30)


def _identity_map(source: MeshPackshotSource) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each packshot pixel mapped onto itself, with the layer's own part labels."""
    height, width = source.layer.alpha.shape
    map_y, map_x = np.mgrid[0:height, 0:width].astype(np.float32)
    return map_x, map_y, source.layer.groups


def _torso_row(source: MeshPackshotSource) -> tuple[int, int, int]:
    """A row across the garment's body: (row, first column, last column) of its solid pixels."""
    solid = (source.layer.groups == Group.TORSO) & (source.layer.alpha > 0.5)
    row = int(np.flatnonzero(solid.any(axis=1)).mean())
    columns = np.flatnonzero(solid[row])
    return row, int(columns[0]), int(columns[-1])


@pytest.mark.parametrize("kind, style", [(GarmentKind.TOP, "tshirt"), (GarmentKind.DRESS, None)])
def test_a_row_across_the_body_is_lit_in_the_middle_and_darker_at_its_edges(kind, style):
    # given a plain packshot's body
    packshot = draw_packshot(kind=kind, colour=RED, seed=1, size=(384, 288), style=style)
    source = MeshPackshotSource(packshot, tuning=MeshTuning(turn_shade=0.2))
    row, first, last = _torso_row(source)
    # when its turning shade is read with each pixel mapped onto itself
    factor = source._turning(*_identity_map(source))[row, first : last + 1]
    # then the middle keeps its colour, the edges are 0.2 darker, and the shade falls off steadily
    middle = len(factor) // 2
    assert factor[middle] == pytest.approx(1.0, abs=0.002)
    assert factor[0] == pytest.approx(0.8, abs=0.002)
    assert factor[-1] == pytest.approx(0.8, abs=0.002)
    assert np.all(np.diff(factor[: middle + 1]) >= -1e-6)
    assert np.all(np.diff(factor[middle:]) <= 1e-6)
    # and half way out from the middle it is still nearly as light (a cylinder: sqrt(1 - 0.25))
    quarter = middle // 2
    across = abs(quarter - (len(factor) - 1) / 2) / ((len(factor) - 1) / 2)
    assert factor[quarter] == pytest.approx(1 - 0.2 * (1 - np.sqrt(1 - across**2)), abs=0.01)


def test_each_trouser_leg_is_shaded_across_itself():
    # given trousers
    jeans = draw_packshot(kind=GarmentKind.BOTTOM, colour=RED, seed=1, size=(384, 288), style="trousers")
    source = MeshPackshotSource(jeans, tuning=MeshTuning(turn_shade=0.2))
    # when the shade is read across a row low on the legs
    factor = source._turning(*_identity_map(source))
    groups, alpha = source.layer.groups, source.layer.alpha
    legs = ((groups == Group.RIGHT_LEG) | (groups == Group.LEFT_LEG)) & (alpha > 0.5)
    rows = np.flatnonzero(legs.any(axis=1))
    row = int(rows[0] + 0.7 * (rows[-1] - rows[0]))
    # then each leg is lightest near its own middle and 0.2 darker at both its edges
    for group in (Group.RIGHT_LEG, Group.LEFT_LEG):
        columns = np.flatnonzero((groups[row] == group) & (alpha[row] > 0.5))
        across = factor[row, columns]
        assert across[0] == pytest.approx(0.8, abs=0.002)
        assert across[-1] == pytest.approx(0.8, abs=0.002)
        assert across.max() == pytest.approx(1.0, abs=0.01)
        assert abs(int(np.argmax(across)) - len(columns) // 2) <= 1


def test_no_turning_shade_leaves_the_packshot_unshaded_and_nothing_outside_the_garment_is_touched():
    # given a tee without the turning shade, and one with it
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=1, size=(384, 288), style="tshirt")
    flat = MeshPackshotSource(tee, tuning=MeshTuning(turn_shade=0.0))
    shaded = MeshPackshotSource(tee, tuning=MeshTuning(turn_shade=0.2))
    # when both shades are read
    flat_factor = flat._turning(*_identity_map(flat))
    shaded_factor = shaded._turning(*_identity_map(shaded))
    # then the first is 1 everywhere, and the second is 1 off the garment's body (its sleeves, the ground)
    assert np.all(flat_factor == 1.0)
    off_body = shaded.layer.groups != Group.TORSO
    assert np.all(shaded_factor[off_body] == 1.0)
    assert shaded_factor[~off_body].min() < 0.81


def test_rendered_on_a_shopper_the_tees_sides_are_darker_than_its_middle():
    # given a shopper and a plain red tee, with and without the turning shade
    shopper = make_person()
    dst = body_skeleton(shopper)
    tee = draw_packshot(kind=GarmentKind.TOP, colour=RED, seed=1, size=(384, 288), style="tshirt")
    rows = {}
    for shade in (0.0, 0.2):
        source = MeshPackshotSource(tee, tuning=MeshTuning(turn_shade=shade))
        source.fit_to(shopper, dst)
        # when its body is warped onto her
        (piece, _box, _group, _kind), *_ = source.warped_layers(dst, shopper.parsing.shape)
        alpha = piece[..., 3] / 255.0
        red = np.where(alpha > 0.99, piece[..., 0] / np.maximum(alpha, 1e-6), np.nan)
        rows[shade] = red[red.shape[0] // 2]
    # then with the shade its sides are darker than its middle, by more than without it
    for shade, row in rows.items():
        covered = np.flatnonzero(~np.isnan(row))
        middle, edge = row[covered[len(covered) // 2]], row[covered[1]]
        rows[shade] = middle - edge
    assert rows[0.2] > rows[0.0] + 15
