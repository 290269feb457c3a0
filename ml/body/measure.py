"""Tailor's measurements from a body mesh in its rest pose (metres in, centimetres out).

Circumferences are horizontal plane sections of the mesh: the section is split into its closed
loops by the mesh's connectivity (torso, each arm, each leg below the crotch), and the girth is
the perimeter of the part's convex hull: what a tape measure laid around the body reads (it
bridges hollows such as the cleavage).
Lengths follow the skeleton's regressed joints.

Levels (z up, floor at 0):

- chest / bust: the level of the bust points (the nipples of the model's mesh);
- under-bust: 30 % of the way from the bust level down to the waist;
- waist: the level of anny's waist vertex loop (the MakeHuman modellers' natural waist);
- hips: the largest girth between the crotch and the waist;
- thigh: one leg, 3 % of the body height below the crotch;
- inseam: the crotch's height above the floor;
- shoulder width: the breadth across the shoulders (deltoids) at the level of the shoulder joints;
- arm length: shoulder joint to elbow to wrist;
- neck: the smallest girth between the trapezius and the jaw (30-75 % of the way from the
  shoulder joints up to the ears).
"""

from __future__ import annotations

import numpy as np

MEASUREMENT_NAMES: tuple[str, ...] = (
    "chest",
    "under_bust",
    "waist",
    "hips",
    "thigh",
    "inseam",
    "shoulder_width",
    "arm_length",
    "neck",
)
# Anny keypoint names (BLAZE_TO_ANNY order) that the lengths use.
_KP = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_big_toe",
    "right_big_toe",
)
K = {name: i for i, name in enumerate(_KP)}
REFERENCE_HEIGHT_M = 1.70
# A plane through a vertex cuts its loop open there (no edge crosses it strictly): such a plane is
# moved up by this much (metres) until it passes no vertex.
PLANE_NUDGE_M = 1e-7


class MeshSections:
    """Horizontal sections of one mesh, split into closed loops by the mesh's connectivity."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray) -> None:
        self.v = np.asarray(vertices, dtype=np.float64)
        all_edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
        edges, inverse = np.unique(np.sort(all_edges, axis=1), axis=0, return_inverse=True)
        self.edges = edges
        self.face_edges = inverse.reshape(3, -1).T  # (F, 3) edge ids of each face
        self.a = self.v[edges[:, 0]]
        self.b = self.v[edges[:, 1]]

    def loops(self, z: float) -> list[np.ndarray]:
        """(N, 2) x, y points of each connected piece of the section at height ``z``."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        while np.any(np.abs(self.v[:, 2] - z) < PLANE_NUDGE_M / 2):
            z += PLANE_NUDGE_M
        za, zb = self.a[:, 2] - z, self.b[:, 2] - z
        crossing = za * zb < 0
        if not crossing.any():
            return []
        ids = np.flatnonzero(crossing)
        t = za[ids] / (za[ids] - zb[ids])
        points = (self.a[ids] + (self.b[ids] - self.a[ids]) * t[:, None])[:, :2]
        local = np.full(len(self.edges), -1)
        local[ids] = np.arange(len(ids))
        fe = local[self.face_edges]
        hit = (fe >= 0).sum(axis=1) == 2
        fe_hit = fe[hit]
        first = np.where(fe_hit[:, 0] >= 0, fe_hit[:, 0], fe_hit[:, 1])
        second = np.where(fe_hit[:, 2] >= 0, fe_hit[:, 2], fe_hit[:, 1])
        n = len(ids)
        graph = coo_matrix((np.ones(len(first)), (first, second)), shape=(n, n))
        count, labels = connected_components(graph, directed=False)
        return [points[labels == k] for k in range(count) if (labels == k).sum() >= 3]

    def part_at(self, z: float, x: float, y: float) -> np.ndarray | None:
        """The largest piece whose box holds (x, y), else the piece nearest to it."""
        loops = self.loops(z)
        if not loops:
            return None
        holding = [
            p for p in loops if p[:, 0].min() <= x <= p[:, 0].max() and p[:, 1].min() <= y <= p[:, 1].max()
        ]
        if holding:
            return max(holding, key=lambda p: np.ptp(p[:, 0]) + np.ptp(p[:, 1]))
        return min(loops, key=lambda p: float(np.min(np.hypot(p[:, 0] - x, p[:, 1] - y))))


def convex_perimeter(points: np.ndarray) -> float:
    """Perimeter of the 2-D convex hull (a tape's length around the points)."""
    hull = _hull(points)
    return float(np.linalg.norm(np.roll(hull, -1, axis=0) - hull, axis=1).sum())


def _hull(points: np.ndarray) -> np.ndarray:
    pts = np.unique(np.round(points, 6), axis=0)
    if len(pts) < 3:
        return pts
    pts = pts[np.lexsort((pts[:, 1], pts[:, 0]))]
    # Andrew's monotone chain on Python floats: the same arithmetic as numpy's 2-D cross product,
    # without its per-call overhead (a measurement takes about a hundred hulls).
    seq = [(float(x), float(y)) for x, y in pts]

    def half(ordered):
        out: list[tuple[float, float]] = []
        for px, py in ordered:
            while len(out) >= 2:
                (ax, ay), (bx, by) = out[-2], out[-1]
                if (bx - ax) * (py - ay) - (by - ay) * (px - ax) > 0:
                    break
                out.pop()
            out.append((px, py))
        return out

    lower, upper = half(seq), half(seq[::-1])
    return np.array(lower[:-1] + upper[:-1])


def measure_mesh(
    vertices: np.ndarray,
    faces: np.ndarray,
    keypoints: np.ndarray,
    waist_loop: tuple[int, ...],
    bust_points: tuple[int, ...],
) -> dict[str, float]:
    """All :data:`MEASUREMENT_NAMES` in cm for a rest-pose mesh (metres, z up, any floor height)."""
    v = np.asarray(vertices, dtype=np.float64).copy()
    kp = np.asarray(keypoints, dtype=np.float64).copy()
    floor = v[:, 2].min()
    v[:, 2] -= floor
    kp[:, 2] -= floor
    # Measured on the body scaled to a reference height, so that every figure scales exactly with
    # the body (the search bands below are in metres).
    stated = float(v[:, 2].max())
    v *= REFERENCE_HEIGHT_M / stated
    kp *= REFERENCE_HEIGHT_M / stated
    height = REFERENCE_HEIGHT_M
    sections = MeshSections(v, faces)
    centre_x = float((kp[K["left_hip"], 0] + kp[K["right_hip"], 0]) / 2)
    centre_y = float((kp[K["left_hip"], 1] + kp[K["right_hip"], 1]) / 2)

    def torso(z: float) -> np.ndarray | None:
        return sections.part_at(z, centre_x, centre_y)

    shoulder_z = float((kp[K["left_shoulder"], 2] + kp[K["right_shoulder"], 2]) / 2)
    hip_z = float((kp[K["left_hip"], 2] + kp[K["right_hip"], 2]) / 2)
    knee_z = float((kp[K["left_knee"], 2] + kp[K["right_knee"], 2]) / 2)
    waist_z = float(v[list(waist_loop), 2].mean())

    # Crotch: the lowest body point near the middle between the knees and the hip joints.
    middle = (np.abs(v[:, 0] - centre_x) < 0.015) & (v[:, 2] > knee_z) & (v[:, 2] < hip_z + 0.05)
    crotch_z = float(v[middle, 2].min()) if middle.any() else hip_z - 0.06 * height

    bust_z = float(v[list(bust_points), 2].mean())
    under_bust_z = bust_z - 0.3 * (bust_z - waist_z)

    def girth(z: float) -> float:
        part = torso(z)
        return 0.0 if part is None else convex_perimeter(part)

    hip_levels = np.linspace(crotch_z + 0.01 * height, waist_z - 0.02 * height, 24)
    hips = max(girth(z) for z in hip_levels)

    thigh_part = sections.part_at(
        crotch_z - 0.03 * height, float(kp[K["left_hip"], 0]), float(kp[K["left_hip"], 1])
    )
    thigh = 0.0 if thigh_part is None else convex_perimeter(thigh_part)

    half = float(abs(kp[K["left_shoulder"], 0] - kp[K["right_shoulder"], 0]) / 2)
    shoulder_y = float((kp[K["left_shoulder"], 1] + kp[K["right_shoulder"], 1]) / 2)
    band = (
        (np.abs(v[:, 2] - shoulder_z - 0.01 * height) < 0.015 * height)
        & (np.abs(v[:, 1] - shoulder_y) < 0.06)
        & (np.abs(v[:, 0] - centre_x) < half + 0.06)
    )
    shoulder_width = float(v[band, 0].max() - v[band, 0].min()) if band.any() else 2 * half

    arms = []
    for side in ("left", "right"):
        s, e, w = kp[K[f"{side}_shoulder"]], kp[K[f"{side}_elbow"]], kp[K[f"{side}_wrist"]]
        arms.append(np.linalg.norm(e - s) + np.linalg.norm(w - e))
    arm_length = float(np.mean(arms))

    ear_z = float((kp[K["left_ear"], 2] + kp[K["right_ear"], 2]) / 2)
    neck_y = float((kp[K["left_shoulder"], 1] + kp[K["right_shoulder"], 1]) / 2)
    necks = []
    for z in np.linspace(
        shoulder_z + 0.3 * (ear_z - shoulder_z), shoulder_z + 0.75 * (ear_z - shoulder_z), 10
    ):
        part = sections.part_at(z, centre_x, neck_y)
        if part is not None:
            necks.append(convex_perimeter(part))
    neck = min(necks) if necks else 0.0

    cm = 100.0 * stated / REFERENCE_HEIGHT_M
    return {
        "chest": girth(bust_z) * cm,
        "under_bust": girth(under_bust_z) * cm,
        "waist": girth(waist_z) * cm,
        "hips": hips * cm,
        "thigh": thigh * cm,
        "inseam": crotch_z * cm,
        "shoulder_width": shoulder_width * cm,
        "arm_length": arm_length * cm,
        "neck": neck * cm,
    }
