"""A small z-buffer rasteriser in numpy (CPU, no display server): which triangle is nearest at
each pixel, where in it, and a plain Lambert shading of the result.

Conventions: ``points`` are (x, y, z) with x and y in pixels, pixel centres at integers (the pixel
in row ``r`` and column ``c`` is sampled at ``x = c``, ``y = r``) and z the depth (smaller is nearer).
A pixel belongs to a triangle when its centre lies inside; a centre exactly on an edge goes to
one triangle only (the top-left rule), so two triangles sharing an edge never both cover a pixel
and a closed mesh leaves no cracks. Depth is interpolated linearly in screen space, which orders
the surfaces of a perspective view correctly as long as its triangles are small.

Every triangle is rasterised at once (its bounding box's pixel centres tested together), so a
mesh of tens of thousands of small triangles takes a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Candidate pixel centres tested per batch (memory: about 100 bytes each).
BATCH_CANDIDATES = 2_000_000


@dataclass
class Raster:
    depth: np.ndarray  # (H, W) float64, +inf where no triangle
    face: np.ndarray  # (H, W) int64, the nearest triangle's index, -1 where none
    barycentric: np.ndarray  # (H, W, 3) float64 weights of the nearest triangle's corners

    @property
    def covered(self) -> np.ndarray:
        return self.face >= 0


def _edge(ax, ay, bx, by, px, py):
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax)


def _owns(dx, dy):
    """Whether an edge running (dx, dy) in a positively oriented triangle keeps the centres that lie
    exactly on it (of the two triangles sharing an edge, exactly one does)."""
    return (dy > 0) | ((dy == 0) & (dx < 0))


def rasterize(points: np.ndarray, faces: np.ndarray, shape: tuple[int, int]) -> Raster:
    """The nearest triangle at every pixel of an (H, W) image (either winding is drawn)."""
    height, width = shape
    points = np.asarray(points, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    if points.ndim != 2 or points.shape[1] != 3:
        raise ValueError("points must be an (N, 3) array of x, y, depth")
    if faces.ndim != 2 or faces.shape[1] != 3:
        raise ValueError("faces must be an (F, 3) array of point indices")
    depth = np.full(height * width, np.inf)
    face_at = np.full(height * width, -1, np.int64)
    bary = np.zeros((height * width, 3))
    if len(faces) == 0 or height == 0 or width == 0:
        return Raster(
            depth.reshape(height, width), face_at.reshape(height, width), bary.reshape(height, width, 3)
        )

    tri = points[faces]  # (F, 3, 3)
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    area = _edge(a[:, 0], a[:, 1], b[:, 0], b[:, 1], c[:, 0], c[:, 1])
    # Orient every triangle positively (swap b and c where the area is negative).
    flip = area < 0
    b, c = np.where(flip[:, None], c, b), np.where(flip[:, None], b, c)
    area = np.abs(area)
    x0 = np.maximum(np.ceil(tri[..., 0].min(1)), 0)
    x1 = np.minimum(np.floor(tri[..., 0].max(1)), width - 1)
    y0 = np.maximum(np.ceil(tri[..., 1].min(1)), 0)
    y1 = np.minimum(np.floor(tri[..., 1].max(1)), height - 1)
    keep = np.flatnonzero((area > 0) & (x1 >= x0) & (y1 >= y0) & np.isfinite(area))
    counts = ((x1 - x0 + 1) * (y1 - y0 + 1))[keep].astype(np.int64)

    start = 0
    while start < len(keep):
        stop = start + 1
        total = counts[start]
        while stop < len(keep) and total + counts[stop] <= BATCH_CANDIDATES:
            total += counts[stop]
            stop += 1
        _draw(
            keep[start:stop],
            counts[start:stop],
            (a, b, c),
            area,
            flip,
            (x0, x1, y0),
            (depth, face_at, bary),
            width,
        )
        start = stop
    return Raster(
        depth.reshape(height, width), face_at.reshape(height, width), bary.reshape(height, width, 3)
    )


def _draw(ids, counts, corners, area, flip, box, buffers, width) -> None:
    a, b, c = corners
    x0, x1, y0 = box
    depth, face_at, bary = buffers
    owner = np.repeat(ids, counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    box_w = (x1 - x0 + 1)[owner].astype(np.int64)
    px = x0[owner] + offsets % box_w
    py = y0[owner] + offsets // box_w
    ax, ay, az = a[owner].T
    bx, by, bz = b[owner].T
    cx, cy, cz = c[owner].T
    w0 = _edge(bx, by, cx, cy, px, py)  # weight of a
    w1 = _edge(cx, cy, ax, ay, px, py)  # weight of b
    w2 = _edge(ax, ay, bx, by, px, py)  # weight of c
    inside = (
        ((w0 > 0) | ((w0 == 0) & _owns(cx - bx, cy - by)))
        & ((w1 > 0) | ((w1 == 0) & _owns(ax - cx, ay - cy)))
        & ((w2 > 0) | ((w2 == 0) & _owns(bx - ax, by - ay)))
    )
    if not inside.any():
        return
    norm = area[owner][inside]
    weights = np.stack([w0[inside], w1[inside], w2[inside]], -1) / norm[:, None]
    # Back to the face's own corner order (b and c were swapped for flipped triangles).
    swapped = flip[owner[inside]]
    weights[swapped] = weights[swapped][:, [0, 2, 1]]
    z = weights[:, 0] * az[inside] + weights[:, 1] * bz[inside] + weights[:, 2] * cz[inside]
    pixel = (py[inside] * width + px[inside]).astype(np.int64)
    tri_ids = owner[inside]
    # The nearest candidate per pixel, then only where it beats what earlier batches drew.
    order = np.lexsort((z, pixel))
    pixel, z, tri_ids, weights = pixel[order], z[order], tri_ids[order], weights[order]
    first = np.ones(len(pixel), bool)
    first[1:] = pixel[1:] != pixel[:-1]
    pixel, z, tri_ids, weights = pixel[first], z[first], tri_ids[first], weights[first]
    nearer = z < depth[pixel]
    pixel = pixel[nearer]
    depth[pixel] = z[nearer]
    face_at[pixel] = tri_ids[nearer]
    bary[pixel] = weights[nearer]


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit normals per vertex (outward for counter-clockwise faces)."""
    v = np.asarray(vertices, dtype=np.float64)
    n = np.cross(v[faces[:, 1]] - v[faces[:, 0]], v[faces[:, 2]] - v[faces[:, 0]])
    normals = np.zeros_like(v)
    for k in range(3):
        np.add.at(normals, faces[:, k], n)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    return normals / np.where(length > 0, length, 1.0)


def shade(
    raster: Raster,
    faces: np.ndarray,
    normals: np.ndarray,
    *,
    colour: tuple[int, int, int],
    light: tuple[float, float, float],
    ambient: float,
) -> np.ndarray:
    """(H, W, 4) RGBA: Lambert shading of the per-pixel interpolated normals, transparent where
    nothing was drawn. ``light`` points from the surface towards the light (any length); normals
    facing away from the viewer (+z is away) are turned round, so either winding shades alike."""
    height, width = raster.face.shape
    out = np.zeros((height, width, 4), np.uint8)
    covered = raster.covered
    if not covered.any():
        return out
    corners = faces[raster.face[covered]]  # (N, 3)
    weights = raster.barycentric[covered]
    n = (normals[corners] * weights[..., None]).sum(1)
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    n[n[:, 2] > 0] *= -1.0
    direction = np.asarray(light, np.float64)
    direction = direction / np.linalg.norm(direction)
    lambert = np.clip(n @ direction, 0.0, 1.0)
    intensity = ambient + (1.0 - ambient) * lambert
    rgb = np.clip(np.asarray(colour, np.float64)[None] * intensity[:, None], 0, 255)
    out[covered, :3] = np.round(rgb).astype(np.uint8)
    out[covered, 3] = 255
    return out
