"""Typed results of the body fit and the measurements."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from ml.errors import MLError


class CannotMeasure(MLError):
    """The photos or the stated figures cannot give a body measurement (with the reason why)."""

    code = "cannot_measure"


CLOTHES_FITS = ("fitted", "regular", "loose")


@dataclass(frozen=True)
class ClothesFit:
    """How the shopper says the clothes in her photos fit (each one of ``CLOTHES_FITS``, or None
    when she does not say): her top (or dress's bodice) and her trousers."""

    top: str | None = None
    bottom: str | None = None

    def __post_init__(self) -> None:
        for part, word in (("top", self.top), ("bottom", self.bottom)):
            if word is not None and word not in CLOTHES_FITS:
                raise ValueError(f"The fit of the {part} must be one of {', '.join(CLOTHES_FITS)}.")


@dataclass
class ViewObservation:
    """What one photo shows of the body, in the photo's pixels.

    ``landmarks`` are BlazePose's 33 (x, y) with ``visibility`` in [0, 1]; ``mask`` is the person;
    ``allowance_cm`` is, per pixel of the mask, how much clothing adds to the body's outline there
    at most (0 on skin), used as a tolerance by the silhouette term of the fit; ``ease_cm`` how much
    it adds at least, as clothes sit (the fit keeps the body that far inside the outline).
    """

    view: str  # "front" or "side"
    width: int
    height: int
    landmarks: np.ndarray  # (33, 2) float32 pixels
    visibility: np.ndarray  # (33,) float32
    mask: np.ndarray  # (H, W) bool
    allowance_cm: np.ndarray | None = None  # (H, W) float32
    ease_cm: np.ndarray | None = None  # (H, W) float32
    clothing: dict[str, float] = field(default_factory=dict)  # region -> allowance (cm) applied


@dataclass(frozen=True)
class Measurement:
    """One figure in centimetres with its one-sigma uncertainty."""

    value_cm: float
    uncertainty_cm: float


@dataclass
class ViewFit:
    """The fitted pose and camera of one view."""

    view: str
    focal_px: float  # in the photo's pixels
    distance_m: float
    tilt_deg: float  # camera pitch relative to the body (positive: looking down)
    yaw_deg: float
    keypoint_error_px: float  # RMS over the landmarks used, in the photo's pixels
    silhouette_iou: float
    projected: np.ndarray = field(repr=False)  # (V, 2) posed mesh in the photo's pixels
    # (V, 3) the posed mesh in the camera's frame (metres at the stated height; x right, y down,
    # z away from the camera): depth and normals for drawing the body (ml.body.mannequin).
    camera_vertices: np.ndarray | None = field(default=None, repr=False)
    # (K, 2) the model's keypoints (ml.body.model.BLAZE_TO_ANNY order) in the photo's pixels.
    keypoints: np.ndarray | None = field(default=None, repr=False)


@dataclass
class FitStart:
    """One start of the fit's second stage: where it ended and how much it counts in the result."""

    loss: float
    weight: float  # its share of the blended body (the weights of a fit's starts sum to 1)
    phenotypes: dict[str, float]
    local_changes: dict[str, float]


@dataclass
class BodyFit:
    """The fitted body: shape, per-view pose and camera, and the rest-pose mesh at the stated height."""

    height_cm: float
    phenotypes: dict[str, float]
    local_changes: dict[str, float]
    views: list[ViewFit]
    rest_vertices: np.ndarray = field(repr=False)  # (V, 3) metres, floor at z = 0
    rest_keypoints: np.ndarray = field(repr=False)  # (21, 3) metres
    faces: np.ndarray = field(repr=False)
    loss: float = 0.0
    seconds: float = 0.0
    # Other shapes the fit found with a loss close to the best one's: (phenotypes, local changes).
    alternatives: list[tuple[dict[str, float], dict[str, float]]] = field(default_factory=list, repr=False)
    # Every start of the second stage; the body above is their blend by these weights.
    starts: list[FitStart] = field(default_factory=list, repr=False)


@dataclass
class BodyMeasurements:
    """The result of ``ml measure``: figures, how they were obtained and what limits them."""

    height_cm: float
    weight_kg: float | None
    measurements: dict[str, Measurement]
    views: list[str]
    clothing_allowance_cm: dict[str, float]
    notes: list[str]
    fit: BodyFit | None = field(default=None, repr=False)
    model_version: str = ""

    def to_dict(self) -> dict:
        return {
            "height_cm": self.height_cm,
            "weight_kg": self.weight_kg,
            "measurements": {
                name: {"value_cm": round(m.value_cm, 1), "uncertainty_cm": round(m.uncertainty_cm, 1)}
                for name, m in self.measurements.items()
            },
            "views": list(self.views),
            "clothing_allowance_cm": {k: round(v, 1) for k, v in self.clothing_allowance_cm.items()},
            "notes": list(self.notes),
            "fit": None
            if self.fit is None
            else {
                "phenotypes": {k: round(v, 3) for k, v in self.fit.phenotypes.items()},
                "local_changes": {k: round(v, 3) for k, v in self.fit.local_changes.items()},
                "views": [
                    {
                        k: (round(v, 2) if isinstance(v, float) else v)
                        for k, v in asdict(view).items()
                        if k not in ("projected", "camera_vertices", "keypoints")
                    }
                    for view in self.fit.views
                ],
                "seconds": round(self.fit.seconds, 2),
            },
            "model_version": self.model_version,
        }
