"""Synthetic bodies with known measurements, drawn from the model's own parameter space, seen
through realistic cameras as a pose model and a person segmenter would see them (for the accuracy
benchmark and tests)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ml.body.fit import ADULT_AGE, rasterize_silhouette
from ml.body.measure import measure_mesh
from ml.body.model import LOCAL_CHANGES, PHENOTYPES, BodyModel
from ml.body.types import ViewObservation


@dataclass
class SyntheticBody:
    height_cm: float
    weight_kg: float
    phenotypes: dict[str, float]
    local_changes: dict[str, float]
    truth: dict[str, float]  # measurements of the ground-truth mesh (cm)
    views: dict[str, ViewObservation]
    clothed: bool


def draw_body(model: BodyModel, rng: np.random.Generator, *, clothed: bool, noise_px: float = 0.006):
    """One random adult (both genders, 18-70, full weight and muscle range), photographed from the
    front and the side. ``noise_px`` is the landmark noise as a fraction of the person's height."""
    import roma
    import torch

    phen = {
        "gender": float(rng.choice([0.0, 1.0]) if rng.random() < 0.6 else rng.random()),
        "age": float(rng.uniform(*ADULT_AGE)),
        "muscle": float(rng.uniform(0.0, 1.0)),
        "weight": float(rng.uniform(0.0, 1.0)),
        "height": float(rng.uniform(0.1, 0.9)),
        "proportions": float(rng.uniform(0.2, 0.8)),
    }
    local = {name: float(np.clip(rng.normal(0.0, 0.3), -0.8, 0.8)) for name in LOCAL_CHANGES}
    height_cm = float(rng.uniform(150, 195))
    phen_t = torch.tensor([[phen[n] for n in PHENOTYPES]], dtype=torch.float32)
    local_t = torch.tensor([[local[n] for n in model.local_change_labels]], dtype=torch.float32)
    views: dict[str, ViewObservation] = {}
    with torch.no_grad():
        rest_out = model.forward(phen_t, local_t, None)
        rest = rest_out["rest_vertices"][0]
        scale = height_cm / 100.0 / float(rest[:, 2].max() - rest[:, 2].min())
        rest_np = rest.numpy() * scale
        kp_rest = model.keypoints(rest_out["rest_vertices"])[0].numpy() * scale
        truth = measure_mesh(rest_np, model.faces, kp_rest, model.waist_loop, model.bust_points)
        volume = _volume(rest_np, model.faces)
        for view, yaw in (("front", 0.0), ("side", rng.choice([-90.0, 90.0]))):
            pose = torch.eye(4).repeat(1, model.anny.bone_count, 1, 1)
            rots = torch.from_numpy(
                rng.normal(0.0, 0.08, (len(model.pose_bone_indices), 3)).astype(np.float32)
            )
            if view == "front":  # arms a little away from the body, as asked for a photo
                rots[0, 1] += float(rng.uniform(-0.25, 0.0))
                rots[1, 1] -= float(rng.uniform(-0.25, 0.0))
            pose[0, list(model.pose_bone_indices), :3, :3] = roma.rotvec_to_rotmat(rots)
            out = model.forward(phen_t, local_t, pose)
            verts = out["vertices"][0].numpy() * scale
            kps = model.keypoints(out["vertices"])[0].numpy() * scale
            width, height = 600, 900
            focal = rng.uniform(0.8, 1.6) * height
            tilt = math.radians(rng.uniform(-8, 8))
            yaw_r = math.radians(yaw + rng.uniform(-5, 5))
            fill = rng.uniform(0.7, 0.9)  # fraction of the frame's height the person fills
            distance = focal * height_cm / 100.0 / (fill * height)
            r = _camera_rotation(yaw_r, tilt)
            centre = verts.mean(axis=0)
            shift = np.array([0.0, 0.0, distance])
            for _ in range(2):  # centre the body in the frame (head to feet inside, as asked of a shopper)
                cam = (verts - centre) @ r.T + shift
                proj = cam[:, :2] / cam[:, 2:3] * focal + np.array([width / 2, height / 2])
                middle = (proj.min(axis=0) + proj.max(axis=0)) / 2 - np.array([width / 2, height / 2])
                shift[:2] -= middle * distance / focal
            cam = (verts - centre) @ r.T + shift
            cam_kp = (kps - centre) @ r.T + shift
            proj = cam[:, :2] / cam[:, 2:3] * focal + np.array([width / 2, height / 2])
            proj_kp = cam_kp[:, :2] / cam_kp[:, 2:3] * focal + np.array([width / 2, height / 2])
            mask = rasterize_silhouette(proj, model.faces, (height, width))
            allowance = np.zeros((height, width), np.float32)
            clothing: dict[str, float] = {}
            if clothed:
                px_per_cm = fill * height / height_cm
                extra_cm = float(rng.uniform(0.5, 2.0))
                kernel = max(1, round(extra_cm * px_per_cm))
                shoulders_y = int(min(proj_kp[5, 1], proj_kp[6, 1]))
                ankles_y = int(max(proj_kp[15, 1], proj_kp[16, 1]))
                grown = cv2.dilate(mask.astype(np.uint8), np.ones((2 * kernel + 1, 2 * kernel + 1), np.uint8))
                band = np.zeros_like(mask)
                band[shoulders_y:ankles_y] = True
                mask = mask | (grown.astype(bool) & band)
                allowance[band] = 1.5  # what the parser's "clothes" would say
                clothing = {"torso": 1.5, "legs": 1.5}
            landmarks = np.zeros((33, 2), np.float32)
            visibility = np.zeros(33, np.float32)
            noise = rng.normal(0.0, noise_px * fill * height, (len(model.blaze_indices), 2))
            for k, blaze in enumerate(model.blaze_indices):
                landmarks[blaze] = proj_kp[k] + noise[k]
                visibility[blaze] = 0.95
            views[view] = ViewObservation(
                view=view,
                width=width,
                height=height,
                landmarks=landmarks,
                visibility=visibility,
                mask=mask,
                allowance_cm=allowance if clothed else None,
                clothing=clothing,
            )
    return SyntheticBody(
        height_cm=height_cm,
        weight_kg=float(volume * 985.0),
        phenotypes=phen,
        local_changes=local,
        truth=truth,
        views=views,
        clothed=clothed,
    )


def _camera_rotation(yaw: float, tilt: float) -> np.ndarray:
    """World (x left, y back, z up) -> camera (x right, y down, z forward), the body turned by yaw
    about the vertical and the camera pitched by tilt."""
    c, s = math.cos(yaw), math.sin(yaw)
    rz = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    base = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    ct, st = math.cos(tilt), math.sin(tilt)
    rx = np.array([[1.0, 0.0, 0.0], [0.0, ct, -st], [0.0, st, ct]])
    return rx @ base @ rz


def _volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    v0, v1, v2 = vertices[faces[:, 0]], vertices[faces[:, 1]], vertices[faces[:, 2]]
    return float(abs((np.cross(v0, v1) * v2).sum()) / 6.0)
