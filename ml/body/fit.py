"""Fit the body model to one or two photos with the stated height as a hard constraint.

Unknowns: the six phenotype sliders and ten local measurement changes (shared by the views), and
per view the limbs' pose (eight bones), the body's rotation in the camera (which holds the camera's
tilt), its position (which holds the distance) and the focal length. The mesh is always scaled so
that its rest-pose height is exactly the stated height.

Terms (lengths as fractions of the person's height in the photo, so photos of any size weigh the
same): BlazePose landmarks against the model's regressed keypoints; every mesh vertex inside the
person's mask (a distance transform of the outside); every point of the mask's outline within reach
of the projected mesh, less the clothing allowance there (a hinge, so loose clothes do not inflate
the body), and the body kept some way inside a clothed outline (clothes have ease); weak priors on
the shape and pose; an optional stated weight against the mesh's volume.

Two stages of Adam: pose and camera on the landmarks, then everything on all terms from a male, an
in-between and a female start, whose bodies are blended by their losses.
"""

from __future__ import annotations

import math
import time

import cv2
import numpy as np

from ml.body.model import LOCAL_CHANGES, PHENOTYPES, BodyModel
from ml.body.types import BodyFit, CannotMeasure, FitStart, ViewFit, ViewObservation

WORK_SIDE = 512  # silhouettes are compared at this many pixels on the photo's long side
CONTOUR_POINTS = 240
VERTEX_STRIDE = 4  # every n-th vertex for the outline term
ADULT_AGE = (0.77, 0.86)  # anny's age slider for 18 to 70 years (its morphological age mapping)
DENSITY = 985.0  # kg/m3, for the optional weight
STAGE1_STEPS = 40
STAGE2_STEPS = 110
OUTLINE_CAP_CM = 4.0
# A clothed outline point wants the body at least its ease inside it, with this weight against the
# outline term's. Chosen with fit-4 on its benchmark (clothed bodies grown 0.5-2 cm): at 1 the ease
# barely counted; at 10 clothed girths fell by 0.6-1.3 cm MAE on two seeds of 12 bodies, bare ones
# unchanged. fit-5's per-garment ease (ml/body/observe.py EASE_CM) was tuned with it kept at 10.
EASE_WEIGHT = 10.0
CANONICAL_HEIGHT_M = 1.70
CLOTHED_OUTLINE_WEIGHT = 0.25
KEYPOINT_WEIGHT = 500.0
# Per vertex, averaged over all 13,718 (most far inside): large, so that the few vertices outside
# the mask weigh as much as the outline points (a weaker term let the body grow past its mask).
INSIDE_WEIGHT = 20000.0
FIXED_LOCAL_CHANGES = ("measure-neck-circ-incr",)
INSIDE_TOL = 0.5  # working pixels: a vertex may sit on the mask's edge pixel
OUTLINE_TOL = 0.25  # working pixels
# Starts blended with weights exp(-(loss - best) / (START_BLEND * best)): one 5 % worse counts e^-1.
START_BLEND = 0.05
# Stage 2's starts, as the gender slider's logit (anny's gender: 1 female, 0 male). fit-7 added the
# middle one: the blend of three fits is steadier than of two (README, "fit-7").
GENDER_STARTS = (-1.5, 0.0, 1.5)
SHAPE_PRIOR = 0.0002
LOCAL_PRIOR = 0.002
# Landmark weights by BlazePose index (the face and hips are less reliable as joint positions).
LANDMARK_WEIGHT = {0: 0.5, 2: 0.3, 5: 0.3, 7: 0.3, 8: 0.3, 23: 0.6, 24: 0.6}


def _rotvec_to_matrix(rotvec):
    import roma

    return roma.rotvec_to_rotmat(rotvec)


class _View:
    """A view prepared for the fit (working resolution tensors)."""

    def __init__(self, obs: ViewObservation, landmark_ids: tuple[int, ...]) -> None:
        import torch

        self.obs = obs
        self.scale = WORK_SIDE / max(obs.width, obs.height)
        w = max(8, round(obs.width * self.scale))
        h = max(8, round(obs.height * self.scale))
        self.size = (w, h)
        mask = cv2.resize(obs.mask.astype(np.uint8) * 255, (w, h), interpolation=cv2.INTER_AREA) >= 128
        if mask.sum() < 50:
            raise CannotMeasure(f"The {obs.view} photo does not show the person clearly enough.")
        self.mask = mask
        outside = cv2.distanceTransform((~mask).astype(np.uint8), cv2.DIST_L2, 3)
        self.dt = torch.from_numpy(outside.astype(np.float32))[None, None]
        rows = np.flatnonzero(mask.any(axis=1))
        self.person_px = float(rows[-1] - rows[0] + 1)
        contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        contour = max(contours, key=cv2.contourArea)[:, 0, :].astype(np.float32)
        pick = np.linspace(0, len(contour) - 1, min(CONTOUR_POINTS, len(contour))).astype(int)
        self.contour = torch.from_numpy(contour[pick])
        ys = np.clip(self.from_work(contour[pick, 1]).astype(int), 0, obs.height - 1)
        xs = np.clip(self.from_work(contour[pick, 0]).astype(int), 0, obs.width - 1)
        allowance = np.zeros(len(pick), np.float32)
        if obs.allowance_cm is not None:
            allowance = obs.allowance_cm[ys, xs].astype(np.float32)
        ease = np.zeros(len(pick), np.float32)
        if obs.ease_cm is not None:
            ease = obs.ease_cm[ys, xs].astype(np.float32)
        self.allowance_cm = torch.from_numpy(allowance)
        self.ease_cm = torch.from_numpy(ease)
        # Clothed outline points pull less than skin: clothes only bound the body from outside.
        self.outline_weight = torch.from_numpy(
            np.where(allowance > 0, CLOTHED_OUTLINE_WEIGHT, 1.0).astype(np.float32)
        )
        lm = self.to_work(obs.landmarks[list(landmark_ids)])
        vis = obs.visibility[list(landmark_ids)]
        inside = (lm[:, 0] >= 0) & (lm[:, 0] < w) & (lm[:, 1] >= 0) & (lm[:, 1] < h)
        weights = np.where((vis >= 0.5) & inside, 1.0, 0.0).astype(np.float32)
        for k, blaze in enumerate(landmark_ids):
            weights[k] *= LANDMARK_WEIGHT.get(blaze, 1.0)
        if obs.view == "side":
            # On a side view the far limbs are guessed by the pose model: trust them less.
            weights *= np.where(vis >= 0.8, 1.0, 0.3).astype(np.float32)
        self.landmarks = torch.from_numpy(lm.astype(np.float32))
        self.weights = torch.from_numpy(weights)
        self.centre = torch.tensor([w / 2.0, h / 2.0])

    def to_work(self, pixels):
        """Photo pixels (centres at integers) -> working pixels."""
        return (pixels + 0.5) * self.scale - 0.5

    def from_work(self, pixels):
        return (pixels + 0.5) / self.scale - 0.5


def _initial_yaw(obs: ViewObservation) -> float:
    if obs.view != "side":
        return 0.0
    nose = obs.landmarks[0, 0]
    shoulders = (obs.landmarks[11, 0] + obs.landmarks[12, 0]) / 2
    # Facing the image's left: the front (-y) must map to -x of the camera: yaw -90 degrees.
    return -math.pi / 2 if nose < shoulders else math.pi / 2


def fit_body(
    model: BodyModel,
    views: list[ViewObservation],
    *,
    height_cm: float,
    weight_kg: float | None = None,
    stage1_steps: int = STAGE1_STEPS,
    stage2_steps: int = STAGE2_STEPS,
    with_alternatives: bool = True,
    init_phenotypes: dict[str, float] | None = None,
    init_local_changes: dict[str, float] | None = None,
) -> BodyFit:
    import torch

    if not height_cm or not (80 <= height_cm <= 250):
        raise CannotMeasure("Enter your height (between 80 and 250 cm) so that we can measure you.")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one core per fit: several fits run side by side in a worker
    try:
        return _fit(
            model,
            views,
            height_cm=height_cm,
            weight_kg=weight_kg,
            stage1_steps=stage1_steps,
            stage2_steps=stage2_steps,
            with_alternatives=with_alternatives,
            init_phenotypes=init_phenotypes,
            init_local_changes=init_local_changes,
        )
    finally:
        torch.set_num_threads(threads)


def _fit(
    model: BodyModel,
    views: list[ViewObservation],
    *,
    height_cm: float,
    weight_kg: float | None,
    stage1_steps: int,
    stage2_steps: int,
    with_alternatives: bool,
    init_phenotypes: dict[str, float] | None,
    init_local_changes: dict[str, float] | None,
) -> BodyFit:
    import torch

    started = time.perf_counter()
    # The photos carry no absolute scale: the fit runs at a canonical height and the result is
    # scaled to the stated one, so every figure scales exactly with the stated height.
    height_m = CANONICAL_HEIGHT_M
    to_stated = float(height_cm) / 100.0 / CANONICAL_HEIGHT_M
    canonical_weight = None if not weight_kg else float(weight_kg) / to_stated**3
    landmark_ids = model.blaze_indices
    prepared = [_View(obs, landmark_ids) for obs in views]
    n_views = len(prepared)
    n_bones = len(model.pose_bone_indices)
    lc_order = [LOCAL_CHANGES.index(name) for name in model.local_change_labels]

    # The neck's own modifier stays at 0: hair and collars hide the neck's outline in most photos.
    local_mask = torch.tensor([0.0 if name in FIXED_LOCAL_CHANGES else 1.0 for name in LOCAL_CHANGES])
    shape = torch.zeros(1, len(PHENOTYPES))
    local = torch.zeros(1, len(LOCAL_CHANGES))
    for k, name in enumerate(PHENOTYPES):  # a start (diagnostics, or a previous fit)
        if init_phenotypes and name in init_phenotypes:
            value = float(np.clip(init_phenotypes[name], 0.02, 0.98))
            if name == "age":
                value = float(np.clip((value - ADULT_AGE[0]) / (ADULT_AGE[1] - ADULT_AGE[0]), 0.02, 0.98))
            shape[0, k] = math.log(value / (1 - value))
    for k, name in enumerate(LOCAL_CHANGES):
        if init_local_changes and name in init_local_changes:
            shape_value = float(np.clip(init_local_changes[name], -0.98, 0.98))
            local[0, k] = math.atanh(shape_value)
    # Every unknown carries a leading "start" axis: stage 2 fits several starts side by side, as
    # one batch (independent sums under Adam, which works element by element).
    limb = torch.zeros(1, n_views, n_bones, 3)
    rot0 = torch.tensor([[[0.0, 0.0, _initial_yaw(v.obs)] for v in prepared]])
    rot = rot0.clone()
    # Camera distance from the person's size in the photo with the prior focal length.
    focal0 = torch.tensor([1.1 * WORK_SIDE for _ in prepared])
    log_focal = torch.zeros(1, n_views)
    dist0 = torch.tensor([float(focal0[i]) * height_m / p.person_px for i, p in enumerate(prepared)])
    trans = torch.zeros(1, n_views, 3)
    for i, p in enumerate(prepared):
        ys, xs = np.nonzero(p.mask)
        trans[0, i, 0] = (xs.mean() - p.size[0] / 2) * float(dist0[i]) / float(focal0[i])
        trans[0, i, 1] = ((ys.min() + ys.max()) / 2 - p.size[1] / 2) * float(dist0[i]) / float(focal0[i])
        trans[0, i, 2] = float(dist0[i])
    world_to_cam = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    stride_idx = torch.arange(0, model.faces.max() + 1, VERTEX_STRIDE)
    face_t = torch.from_numpy(model.faces)

    def phenotypes_of(shape_logits):
        values = torch.sigmoid(shape_logits)
        age_i = PHENOTYPES.index("age")
        age = ADULT_AGE[0] + (ADULT_AGE[1] - ADULT_AGE[0]) * values[..., age_i : age_i + 1]
        return torch.cat([values[..., :age_i], age, values[..., age_i + 1 :]], -1)

    def run(shape_logits, local_logits, limb_rot):
        """(S, 6), (S, L), (S, V, bones, 3) -> anny's output (batch S * V), scale (S,), rest (S, N, 3)."""
        starts = shape_logits.shape[0]
        phen = phenotypes_of(shape_logits)
        lc = (torch.tanh(local_logits) * local_mask)[:, lc_order]
        pose = torch.eye(4).repeat(starts * n_views, model.anny.bone_count, 1, 1)
        rots = _rotvec_to_matrix(limb_rot.reshape(-1, 3)).reshape(starts * n_views, n_bones, 3, 3)
        pose[:, list(model.pose_bone_indices), :3, :3] = rots
        out = model.forward_posed_copies(phen, lc, pose, n_views)
        rest = out["rest_vertices"]
        scale = height_m / (rest[:, :, 2].max(1).values - rest[:, :, 2].min(1).values)
        return out, scale, rest

    def to_camera(points, i, scale, cam):
        """(S, N, 3) posed model points -> camera coordinates of view i for each start."""
        rot_, trans_ = cam[0], cam[1]
        r = world_to_cam @ _rotvec_to_matrix(rot_[:, i])
        return (points * scale[:, None, None]) @ r.transpose(1, 2) + trans_[:, i, None]

    def project(points, i, scale, cam):
        """(S, N, 3) model points (posed, unscaled) -> (S, N, 2) working pixels of view i."""
        camera = to_camera(points, i, scale, cam)
        z = camera[..., 2].clamp(min=0.2)
        f = focal0[i] * torch.exp(cam[2][:, i])
        return camera[..., :2] / z[..., None] * f[:, None, None] + prepared[i].centre

    def losses(shape_logits, local_logits, cam, silhouettes: bool):
        """The loss of each start, (S,)."""
        rot_, _, log_focal_, limb_rot = cam
        starts = shape_logits.shape[0]
        out, scale, rest = run(shape_logits, local_logits, limb_rot)
        verts = out["vertices"].reshape(starts, n_views, -1, 3)
        kps = model.keypoints(out["vertices"]).reshape(starts, n_views, -1, 3)
        total = torch.zeros(starts)
        for i, p in enumerate(prepared):
            norm = p.person_px
            proj_kp = project(kps[:, i], i, scale, cam)
            d2 = ((proj_kp - p.landmarks) ** 2).sum(-1) / norm**2
            total = total + (p.weights * d2).sum(-1) / p.weights.sum().clamp(min=1.0) * KEYPOINT_WEIGHT
            if silhouettes:
                proj = project(verts[:, i], i, scale, cam)
                w, h = p.size
                grid = torch.stack([proj[..., 0] / (w - 1) * 2 - 1, proj[..., 1] / (h - 1) * 2 - 1], -1)
                outside = torch.nn.functional.grid_sample(
                    p.dt.expand(starts, -1, -1, -1), grid[:, None], align_corners=True, padding_mode="border"
                )[:, 0, 0]
                total = total + ((torch.relu(outside - INSIDE_TOL) / norm) ** 2).mean(-1) * INSIDE_WEIGHT
                sub = proj[:, stride_idx]
                contour = p.contour.expand(starts, -1, -1)
                # The nearest projected vertex of each outline point, found without the gradient:
                # the distance to it has the same gradient as the minimum over all of them.
                with torch.no_grad():
                    nearest_idx = torch.cdist(contour, sub).argmin(dim=2)
                closest = torch.gather(sub, 1, nearest_idx[..., None].expand(-1, -1, 2))
                nearest = (contour - closest).norm(dim=-1)
                px_per_cm = norm / (CANONICAL_HEIGHT_M * 100.0)
                gap = torch.relu(nearest - p.allowance_cm * px_per_cm - OUTLINE_TOL)
                # Capped: outline points far beyond the body (a flared dress, loose hair, a bag)
                # stop pulling instead of inflating the body towards them.
                gap = torch.clamp(gap, max=OUTLINE_CAP_CM * px_per_cm)
                # Clothes have ease: the body stays some way inside a clothed outline (without this
                # it was free to swell right up to the clothes' outline).
                ease = torch.relu(p.ease_cm * px_per_cm - nearest)
                total = total + (p.outline_weight * (gap / norm) ** 2).mean(-1) * 400.0
                total = total + ((ease / norm) ** 2).mean(-1) * 400.0 * EASE_WEIGHT
        # Priors: shape near the middle (weak), local changes near zero, limbs near the rest pose.
        total = total + SHAPE_PRIOR * (shape_logits**2).sum(-1) + LOCAL_PRIOR * (local_logits**2).sum(-1)
        total = total + 0.01 * (limb_rot**2).sum((1, 2, 3)) + 0.05 * ((rot_ - rot0)[..., :2] ** 2).sum((1, 2))
        total = total + 0.05 * (log_focal_**2).sum(-1)
        if canonical_weight:
            mass = _volume(rest * scale[:, None, None], face_t) * DENSITY
            total = total + 0.5 * ((mass - canonical_weight) / (0.05 * canonical_weight)) ** 2 * 0.01
        return total

    cam = [t.requires_grad_(True) for t in (rot, trans, log_focal, limb)]
    opt = torch.optim.Adam(cam, lr=0.03)
    for _ in range(stage1_steps):
        opt.zero_grad()
        loss = losses(shape, local, cam, silhouettes=False).sum()
        loss.backward()
        cam[1].grad[..., 2] *= 5.0
        opt.step()
    # Stage 2 from three starts (a male, an in-between and a female build), blended below: the
    # silhouettes alone leave the sliders some room, and Adam does not cross from one basin to the
    # other.
    gender_logits = [None] if init_phenotypes else list(GENDER_STARTS)
    n_starts = len(gender_logits)
    with torch.no_grad():
        shape_try = shape.repeat(n_starts, 1)
        for s, gender_logit in enumerate(gender_logits):
            if gender_logit is not None:
                shape_try[s, PHENOTYPES.index("gender")] = gender_logit
        local_try = local.repeat(n_starts, 1)
        cam = [t.detach().repeat(n_starts, *([1] * (t.dim() - 1))) for t in cam]
    shape_try.requires_grad_(True)
    local_try.requires_grad_(True)
    for t in cam:
        t.requires_grad_(True)
    opt = torch.optim.Adam([{"params": [shape_try, local_try], "lr": 0.08}, {"params": cam, "lr": 0.01}])
    for step in range(stage2_steps):
        opt.zero_grad()
        loss = losses(shape_try, local_try, cam, silhouettes=True).sum()
        loss.backward()
        opt.step()
        if step == stage2_steps * 2 // 3:
            for group in opt.param_groups:
                group["lr"] *= 0.3
    with torch.no_grad():
        values = losses(shape_try, local_try, cam, silhouettes=True)
        # The starts' bodies blended by their losses, not the best one picked: where the photo
        # leaves the build free, the starts end with close losses and picking one flips with a few
        # pixels' change of the photo; the blend moves smoothly instead.
        final = float(values.min())
        weights = torch.softmax(-(values - final) / (START_BLEND * max(final, 1e-6)), 0)
        cam = [t.detach() for t in cam]
        rot, trans, log_focal, limb = cam
        out, scale, rest = run(shape_try, local_try, limb)
        rest_scaled = rest * (scale * to_stated)[:, None, None]
        rest_kp = model.keypoints(rest) * (scale * to_stated)[:, None, None]
        floors = rest_scaled[:, :, 2].min(1).values
        rest_scaled[:, :, 2] -= floors[:, None]
        rest_kp[:, :, 2] -= floors[:, None]
        rest_blend = torch.einsum("s,svd->vd", weights, rest_scaled)
        kp_blend = torch.einsum("s,skd->kd", weights, rest_kp)
        kp_blend[:, 2] -= rest_blend[:, 2].min()
        rest_blend[:, 2] -= rest_blend[:, 2].min()
        posed = out["vertices"].reshape(n_starts, n_views, -1, 3)
        posed_kp = model.keypoints(out["vertices"]).reshape(n_starts, n_views, -1, 3)
        view_fits = []
        for i, p in enumerate(prepared):
            proj = torch.einsum("s,svd->vd", weights, project(posed[:, i], i, scale, cam))
            proj_kp = torch.einsum("s,skd->kd", weights, project(posed_kp[:, i], i, scale, cam))
            camera = torch.einsum("s,svd->vd", weights, to_camera(posed[:, i], i, scale, cam)) * to_stated
            used = p.weights > 0
            err = (
                ((proj_kp - p.landmarks)[used] ** 2).sum(-1).mean().sqrt()
                if used.any()
                else torch.tensor(0.0)
            )
            f_work = float(weights @ (focal0[i] * torch.exp(log_focal[:, i])))
            rmat = _rotvec_to_matrix(rot[:, i])
            view_fits.append(
                ViewFit(
                    view=p.obs.view,
                    focal_px=f_work / p.scale,
                    distance_m=float(weights @ trans[:, i, 2]) * to_stated,
                    tilt_deg=float(weights @ torch.rad2deg(torch.asin(rmat[:, 1, 2].clamp(-1.0, 1.0)))),
                    yaw_deg=float(weights @ torch.rad2deg(rot[:, i, 2])),
                    keypoint_error_px=float(err) / p.scale,
                    silhouette_iou=_iou(proj.numpy(), model.faces, p.mask),
                    projected=p.from_work(proj.numpy()),
                    camera_vertices=camera.numpy(),
                    keypoints=p.from_work(proj_kp.numpy()),
                )
            )
        phen = (weights @ phenotypes_of(shape_try)).numpy()
        lc = (weights @ (torch.tanh(local_try) * local_mask)).numpy()

        # Each start's own body (when its loss is close) shows how far the data leave the shape
        # free: the measurements' spread is taken across them.
        starts = []
        for s in range(n_starts):
            phen_s = phenotypes_of(shape_try[s]).numpy()
            lc_s = (torch.tanh(local_try[s]) * local_mask).numpy()
            starts.append(
                FitStart(
                    loss=float(values[s]),
                    weight=float(weights[s]),
                    phenotypes={name: float(phen_s[k]) for k, name in enumerate(PHENOTYPES)},
                    local_changes={name: float(lc_s[k]) for k, name in enumerate(LOCAL_CHANGES)},
                )
            )
        alternatives = [
            (start.phenotypes, start.local_changes) for start in starts if start.loss <= final * 1.5 + 1e-4
        ]
    return BodyFit(
        height_cm=float(height_cm),
        phenotypes={name: float(phen[k]) for k, name in enumerate(PHENOTYPES)},
        local_changes={name: float(lc[k]) for k, name in enumerate(LOCAL_CHANGES)},
        views=view_fits,
        rest_vertices=rest_blend.numpy(),
        rest_keypoints=kp_blend.numpy(),
        faces=model.faces,
        loss=final,
        seconds=time.perf_counter() - started,
        alternatives=alternatives if with_alternatives else [],
        starts=starts,
    )


def _volume(vertices, faces):
    """Enclosed volume of each mesh of a (S, N, 3) batch."""
    v0, v1, v2 = vertices[:, faces[:, 0]], vertices[:, faces[:, 1]], vertices[:, faces[:, 2]]
    import torch

    return (torch.cross(v0, v1, dim=-1) * v2).sum(-1).sum(-1).abs() / 6.0


def _iou(projected: np.ndarray, faces: np.ndarray, mask: np.ndarray) -> float:
    drawn = rasterize_silhouette(projected, faces, mask.shape)
    union = np.logical_or(drawn, mask).sum()
    return float(np.logical_and(drawn, mask).sum() / union) if union else 0.0


def rasterize_silhouette(projected: np.ndarray, faces: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Fill the projected triangles: the mesh's silhouette as an (H, W) bool mask."""
    canvas = np.zeros(shape, np.uint8)
    tris = np.round(projected[faces] * 4).astype(np.int32)  # 2 bits of sub-pixel precision
    height, width = shape
    inside = (tris[..., 0].max(1) >= 0) & (tris[..., 0].min(1) < 4 * width)
    inside &= (tris[..., 1].max(1) >= 0) & (tris[..., 1].min(1) < 4 * height)
    # One call per triangle: a single fillPoly over all of them would fill by the even-odd rule.
    for tri in tris[inside]:
        cv2.fillConvexPoly(canvas, tri, 1, lineType=cv2.LINE_8, shift=2)
    return canvas.astype(bool)
