import cv2
import numpy as np
import pytest

from ml.render.warp.geometry import (
    Frame,
    Part,
    bone_affine,
    dense_map,
    frame_affine,
    transform_points,
    warp_rgba,
)


def test_bone_affine_maps_segment_ends_and_scales_across():
    # given a destination segment and a source segment twice as long, rotated 90 degrees
    dst = (np.array([10.0, 10.0]), np.array([10.0, 30.0]))
    src = (np.array([50.0, 50.0]), np.array([10.0, 50.0]))
    # when the backward affine is built with 3 source px per destination px sideways
    affine = bone_affine(dst, src, across=3.0)
    # then the ends land on the source ends and a sideways step of 1 becomes 3
    ends = transform_points(affine, np.array([dst[0], dst[1]]))
    np.testing.assert_allclose(ends, [src[0], src[1]], atol=1e-9)
    side = transform_points(affine, np.array([[11.0, 10.0]]))[0]
    assert np.linalg.norm(side - src[0]) == pytest.approx(3.0)


def test_frame_affine_matches_origins_axes_and_widths():
    # given two torso frames
    dst = Frame(origin=np.array([100.0, 50.0]), down=np.array([0.0, 100.0]), half_width=40.0)
    src = Frame(origin=np.array([30.0, 20.0]), down=np.array([0.0, 50.0]), half_width=10.0)
    # when mapped
    affine = frame_affine(dst, src)
    # then origin -> origin, hips -> hips, the wearer's-right edge -> the source's edge
    pts = transform_points(affine, np.array([dst.origin, dst.origin + dst.down, dst.origin + dst.across]))
    np.testing.assert_allclose(pts, [src.origin, src.origin + src.down, src.origin + src.across], atol=1e-9)


def test_blended_map_of_equal_affines_reproduces_the_affine_exactly_inside_the_box():
    # given a part made of two identical affines (forces the coarse-grid path) and a box
    affine = np.array([[0.8, -0.2, 12.0], [0.25, 0.9, -7.0]])
    part = Part(
        [affine, affine.copy()], [np.array([[0.0, 0.0], [0.0, 0.0]]), np.array([[50.0, 50.0]] * 2)], 10.0
    )
    box = (10, 20, 90, 110)
    # when the dense map is computed every 6 px and upsampled
    mx, my = dense_map(part, box, step=6)
    # then every pixel holds the affine's value (within float32 rounding)
    xx, yy = np.meshgrid(np.arange(10, 90), np.arange(20, 110))
    np.testing.assert_allclose(mx[3:-3, 3:-3], (0.8 * xx - 0.2 * yy + 12.0)[3:-3, 3:-3], atol=1e-3)
    np.testing.assert_allclose(my[3:-3, 3:-3], (0.25 * xx + 0.9 * yy - 7.0)[3:-3, 3:-3], atol=1e-3)


def test_warped_grid_lands_where_the_transform_says():
    # given a grid image (premultiplied RGBA) and a known forward similarity
    src = np.zeros((120, 120, 4), np.uint8)
    for k in range(0, 120, 12):
        src[k : k + 3, :] = 255
        src[:, k : k + 3] = 255
    forward = cv2.getRotationMatrix2D((60, 60), 20, 1.3)
    forward[:, 2] += (15, -5)
    backward = cv2.invertAffineTransform(forward)
    part = Part([backward, backward.copy()], [np.zeros((2, 2)), np.zeros((2, 2))], 5.0)
    # when warped with the renderer's remap into a 160x160 destination
    warped = warp_rgba(src, part, (0, 0, 160, 160), step=4)
    expected = cv2.warpAffine(src, forward, (160, 160), flags=cv2.INTER_LINEAR)
    # then grid intersections land on the transformed positions
    for x, y in [(49, 49), (61, 61), (73, 37), (37, 85)]:
        tx, ty = transform_points(forward, np.array([[x, y]]))[0]
        assert 0 <= tx < 160 and 0 <= ty < 160
        assert warped[round(ty), round(tx), 3] > 100, (x, y)
        # and the middle of a grid cell stays empty
        cx, cy = transform_points(forward, np.array([[x + 6, y + 6]]))[0]
        assert warped[round(cy), round(cx), 3] == 0
    # and the whole warp agrees with OpenCV's warpAffine except along antialiased edges
    assert np.mean(np.abs(warped.astype(int) - expected.astype(int)) > 40) < 0.01
