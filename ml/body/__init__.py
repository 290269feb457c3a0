"""The shopper's body from their photos and height: the Anny body model fitted to a front (and
optionally a side) photo, with tailor's measurements and their uncertainties.

``measure_body(front, height_cm, side=None, weight_kg=None)`` takes RGB arrays and returns
:class:`ml.body.types.BodyMeasurements`, or raises :class:`ml.body.types.CannotMeasure` with a
sentence for the shopper. No Django here.
"""

from __future__ import annotations

import numpy as np

from ml.body.types import BodyFit, BodyMeasurements, CannotMeasure, ClothesFit, Measurement, ViewObservation

__all__ = [
    "BODY_MODEL_VERSION",
    "BodyFit",
    "BodyMeasurements",
    "CannotMeasure",
    "ClothesFit",
    "Measurement",
    "ViewObservation",
    "measure_body",
    "measure_observations",
]

# Bump when the fit or the measurement definitions change (stored measurements are then redone).
BODY_MODEL_VERSION = "anny-0.6.2+fit-7+bust-points+steady-pose"

# The spread of each measurement that the fit's own close solutions do not show (cm, one sigma):
# the mean absolute errors of the synthetic benchmark (benchmarks/body.py, the fit that ships,
# 150 bodies of seed 2026, a third clothed in tops and trousers or dresses), front+side and front only.
FRONT_SIDE_FLOOR_CM = {
    "chest": 2.6,
    "under_bust": 2.6,
    "waist": 2.6,
    "hips": 2.5,
    "thigh": 1.9,
    "inseam": 1.3,
    "shoulder_width": 1.1,
    "arm_length": 0.3,
    "neck": 2.1,
}
FRONT_ONLY_FLOOR_CM = {
    "chest": 4.1,
    "under_bust": 3.7,
    "waist": 3.8,
    "hips": 3.1,
    "thigh": 2.0,
    "inseam": 1.5,
    "shoulder_width": 1.2,
    "arm_length": 0.4,
    "neck": 2.4,
}


def measure_body(
    front: np.ndarray,
    *,
    height_cm: float | None,
    side: np.ndarray | None = None,
    weight_kg: float | None = None,
    clothes_fit: ClothesFit | None = None,
) -> BodyMeasurements:
    """Measure the person in the RGB photo(s); the stated height is required; ``clothes_fit`` is how
    she says the clothes in them fit (the ease assumed under them)."""
    from ml.body.observe import observe

    if not height_cm:
        raise CannotMeasure(
            "Enter your height so that we can measure you: photos alone do not give the scale."
        )
    views = [observe(front, view="front", clothes_fit=clothes_fit)]
    if side is not None:
        views.append(observe(side, view="side", clothes_fit=clothes_fit))
    return measure_observations(views, height_cm=height_cm, weight_kg=weight_kg)


def measure_observations(
    views: list[ViewObservation],
    *,
    height_cm: float,
    weight_kg: float | None = None,
    with_uncertainty: bool = True,
    **fit_options,
) -> BodyMeasurements:
    from ml.body.fit import fit_body
    from ml.body.measure import measure_mesh
    from ml.body.model import get_body_model

    model = get_body_model()
    fit = fit_body(
        model,
        views,
        height_cm=height_cm,
        weight_kg=weight_kg,
        with_alternatives=with_uncertainty,
        **fit_options,
    )
    values = measure_mesh(
        fit.rest_vertices, model.faces, fit.rest_keypoints, model.waist_loop, model.bust_points
    )
    spread = _fit_spread(model, fit, values) if with_uncertainty else {}
    front_only = len(views) == 1
    measurements = {}
    for name, value in values.items():
        floor = (FRONT_ONLY_FLOOR_CM if front_only else FRONT_SIDE_FLOOR_CM)[name]
        sigma = float(np.hypot(spread.get(name, 0.0), floor))
        measurements[name] = Measurement(value_cm=float(value), uncertainty_cm=sigma)
    clothing: dict[str, float] = {}
    for view in views:
        for region, cm in view.clothing.items():
            clothing[region] = max(clothing.get(region, 0.0), cm)
    notes = []
    if clothing:
        notes.append(
            "Clothing makes the outline larger than the body: we allowed "
            + ", ".join(f"{cm:.1f} cm at the {region}" for region, cm in clothing.items())
            + ". Close-fitting clothes give the best figures."
        )
    if front_only:
        notes.append(
            "Only a front photo: the body's depth is estimated; a side photo makes girths more accurate."
        )
    return BodyMeasurements(
        height_cm=float(height_cm),
        weight_kg=weight_kg,
        measurements=measurements,
        views=[v.view for v in views],
        clothing_allowance_cm=clothing,
        notes=notes,
        fit=fit,
        model_version=BODY_MODEL_VERSION,
    )


def _fit_spread(model, fit: BodyFit, values: dict[str, float]) -> dict[str, float]:
    """Each measurement's spread: half its range across the fit's close solutions and the blend."""
    import torch

    from ml.body.measure import measure_mesh
    from ml.body.model import PHENOTYPES

    lowest, highest = dict(values), dict(values)
    for phenotypes, local_changes in fit.alternatives:
        phen = torch.tensor([[phenotypes[n] for n in PHENOTYPES]], dtype=torch.float32)
        local = torch.tensor([[local_changes[n] for n in model.local_change_labels]], dtype=torch.float32)
        with torch.no_grad():
            out = model.forward(phen, local, None)
            rest = out["rest_vertices"][0]
            floor, top = float(rest[:, 2].min()), float(rest[:, 2].max())
            scale = fit.height_cm / 100.0 / (top - floor)
            keypoints = model.keypoints(out["rest_vertices"])[0].numpy() * scale
        other = measure_mesh(
            rest.numpy() * scale, model.faces, keypoints, model.waist_loop, model.bust_points
        )
        for name in values:
            lowest[name] = min(lowest[name], other[name])
            highest[name] = max(highest[name], other[name])
    return {name: (highest[name] - lowest[name]) / 2 for name in values}
