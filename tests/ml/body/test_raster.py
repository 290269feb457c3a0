"""The numpy z-buffer rasteriser on meshes small enough to know every pixel."""

from __future__ import annotations

import numpy as np
import pytest

from ml.body.raster import rasterize, shade, vertex_normals


def _pixels(mask: np.ndarray) -> set[tuple[int, int]]:
    return {(int(r), int(c)) for r, c in zip(*np.nonzero(mask), strict=True)}


def test_a_triangle_covers_exactly_the_pixel_centres_inside_it():
    # given: a right triangle whose long edge is x + y = 3.5, between pixel centres
    points = np.array([[-0.5, -0.5, 1.0], [4.0, -0.5, 1.0], [-0.5, 4.0, 1.0]])
    faces = np.array([[0, 1, 2]])

    # when
    raster = rasterize(points, faces, (6, 6))

    # then: every centre (x = column, y = row) with x + y < 3.5, and nothing else
    expected = {(r, c) for r in range(6) for c in range(6) if r + c < 3.5}
    assert _pixels(raster.covered) == expected
    assert set(np.unique(raster.face[raster.covered]).tolist()) == {0}
    assert raster.depth[raster.covered] == pytest.approx(np.full(len(expected), 1.0))
    assert np.all(np.isinf(raster.depth[~raster.covered]))
    assert np.all(raster.face[~raster.covered] == -1)


def test_either_winding_is_drawn_and_barycentrics_follow_the_faces_corners():
    points = np.array([[-0.5, -0.5, 0.0], [4.0, -0.5, 0.0], [-0.5, 4.0, 0.0]])

    forward = rasterize(points, np.array([[0, 1, 2]]), (4, 4))
    backward = rasterize(points, np.array([[0, 2, 1]]), (4, 4))

    assert _pixels(forward.covered) == _pixels(backward.covered)
    # the centre x = 2, y = 1 is corner 0 + w1 * (4.5, 0) + w2 * (0, 4.5)
    w1, w2 = 2.5 / 4.5, 1.5 / 4.5
    assert forward.barycentric[1, 2] == pytest.approx([1 - w1 - w2, w1, w2])
    assert backward.barycentric[1, 2] == pytest.approx([1 - w1 - w2, w2, w1])


def test_two_triangles_sharing_an_edge_split_the_centres_on_it():
    # given: a square whose corners sit on pixel centres (0, 0)-(4, 4), cut along its diagonal,
    # so that 5 centres lie on the shared edge and 4 on each outer edge
    points = np.array([[0.0, 0.0, 1.0], [4.0, 0.0, 1.0], [4.0, 4.0, 1.0], [0.0, 4.0, 1.0]])
    first, second = np.array([[0, 1, 2]]), np.array([[0, 2, 3]])

    # when: each drawn alone
    a = rasterize(points, first, (6, 6)).covered
    b = rasterize(points, second, (6, 6)).covered

    # then: no centre is drawn twice, and of each pair of opposite outer edges exactly one is kept,
    # so the square covers 4 x 4 pixels
    assert not np.any(a & b)
    assert (a | b).sum() == 16
    diagonal = {(k, k) for k in range(5)}
    assert len(diagonal & _pixels(b)) == 4  # the second keeps the diagonal; (0, 0) is on two dropped edges
    assert not diagonal & _pixels(a)


def test_the_nearest_triangle_wins_whatever_the_drawing_order():
    # given: two overlapping triangles, the second nearer (smaller depth)
    far = [[-0.5, -0.5, 5.0], [5.5, -0.5, 5.0], [-0.5, 5.5, 5.0]]
    near = [[0.5, 0.5, 2.0], [5.5, 0.5, 2.0], [0.5, 5.5, 2.0]]
    points = np.array(far + near)

    for faces in (np.array([[0, 1, 2], [3, 4, 5]]), np.array([[3, 4, 5], [0, 1, 2]])):
        raster = rasterize(points, faces, (6, 6))
        near_index = int(np.flatnonzero(faces[:, 0] == 3)[0])
        # the pixel (1, 1) is inside both: the near one is seen
        assert raster.face[1, 1] == near_index
        assert raster.depth[1, 1] == pytest.approx(2.0)
        # (0, 0) is inside the far one only
        assert raster.face[0, 0] == 1 - near_index
        assert raster.depth[0, 0] == pytest.approx(5.0)


def _cube(centre_depth: float) -> tuple[np.ndarray, np.ndarray]:
    """A 4-pixel cube (x, y in [1.5, 5.5]) with depth centre_depth +- 2, outward faces."""
    corners = np.array([[x, y, z] for x in (1.5, 5.5) for y in (1.5, 5.5) for z in (-2.0, 2.0)])
    corners[:, 2] += centre_depth
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    faces = [(a, b, c) for a, b, c, _ in quads] + [(a, c, d) for a, _, c, d in quads]
    return corners, np.array(faces)


def test_a_cube_seen_head_on_shows_its_front_face_only():
    # given: a cube seen along its depth axis
    points, faces = _cube(10.0)

    # when
    raster = rasterize(points, faces, (8, 8))

    # then: the 4 x 4 pixel centres inside its outline, all on the front face (depth 8)
    assert _pixels(raster.covered) == {(r, c) for r in range(2, 6) for c in range(2, 6)}
    front = {k for k, face in enumerate(faces) if np.all(points[face, 2] == 8.0)}
    assert len(front) == 2
    assert set(np.unique(raster.face[raster.covered]).tolist()) <= front
    assert raster.depth[raster.covered] == pytest.approx(np.full(16, 8.0))


def test_vertex_normals_are_unit_and_follow_the_winding():
    points = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])

    assert vertex_normals(points, np.array([[0, 1, 2]])) == pytest.approx(np.tile([0.0, 0.0, 1.0], (3, 1)))
    assert vertex_normals(points, np.array([[0, 2, 1]])) == pytest.approx(np.tile([0.0, 0.0, -1.0], (3, 1)))


def test_shading_is_lambert_and_transparent_where_nothing_was_drawn():
    # given: a flat triangle facing the viewer (normal along -z, the viewer's side)
    points = np.array([[-0.5, -0.5, 1.0], [4.0, -0.5, 1.0], [-0.5, 4.0, 1.0]])
    faces = np.array([[0, 2, 1]])
    raster = rasterize(points, faces, (6, 6))
    normals = np.tile([0.0, 0.0, -1.0], (3, 1))

    # when: lit head-on, then at 60 degrees, then from behind
    head_on = shade(raster, faces, normals, colour=(200, 100, 50), light=(0.0, 0.0, -1.0), ambient=0.2)
    oblique = shade(
        raster, faces, normals, colour=(200, 100, 50), light=(0.0, np.sqrt(3.0), -1.0), ambient=0.2
    )
    behind = shade(raster, faces, normals, colour=(200, 100, 50), light=(0.0, 0.0, 1.0), ambient=0.2)

    # then: intensity = ambient + (1 - ambient) * cos(angle), alpha 255 inside, all 0 outside
    assert head_on[0, 0].tolist() == [200, 100, 50, 255]
    assert oblique[0, 0].tolist() == [round(200 * 0.6), round(100 * 0.6), round(50 * 0.6), 255]
    assert behind[0, 0].tolist() == [40, 20, 10, 255]
    assert head_on[5, 5].tolist() == [0, 0, 0, 0]


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="points"):
        rasterize(np.zeros((3, 2)), np.array([[0, 1, 2]]), (4, 4))
    with pytest.raises(ValueError, match="faces"):
        rasterize(np.zeros((3, 3)), np.array([0, 1, 2]), (4, 4))
