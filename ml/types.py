"""Data types that cross the boundary between ``ml`` and its callers.

Conventions shared by every module:

* images are ``numpy.ndarray`` of shape (H, W, 3), ``uint8``, RGB, in the photo's own
  pixels after EXIF orientation;
* keypoints are (18, 2) ``float32`` arrays of (x, y) in the COCO-18 / OpenPose order of
  :data:`KEYPOINT_NAMES`; a missing keypoint is ``(-1, -1)``;
* masks are (H, W) ``uint8`` with 0..255 (soft edges allowed); parsings are (H, W)
  ``uint8`` class ids from :class:`ParsingClass`.
"""

from __future__ import annotations

import enum
import io
import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

if TYPE_CHECKING:
    from ml.garments.structure import GarmentStructure

KEYPOINT_NAMES: tuple[str, ...] = (
    "nose",
    "neck",
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    "right_hip",
    "right_knee",
    "right_ankle",
    "left_hip",
    "left_knee",
    "left_ankle",
    "right_eye",
    "left_eye",
    "right_ear",
    "left_ear",
)
NUM_KEYPOINTS = len(KEYPOINT_NAMES)
KP = {name: index for index, name in enumerate(KEYPOINT_NAMES)}
MISSING = -1.0

# ADGAN's generator works on 256 x 176 (height x width) images.
CANVAS_HEIGHT = 256
CANVAS_WIDTH = 176


class ParsingClass(enum.IntEnum):
    """The eight classes of ADGAN's ``semantic_merge3`` parsing, in its order."""

    BACKGROUND = 0
    PANTS = 1
    HAIR = 2  # and hat
    SKIRT = 3
    FACE = 4  # and sunglasses
    UPPER_CLOTHES = 5  # and dress, coat, scarf
    ARMS = 6  # and hands, gloves
    LEGS = 7  # and socks, shoes


NUM_PARSING_CLASSES = len(ParsingClass)


class GarmentKind(enum.StrEnum):
    TOP = "top"
    BOTTOM = "bottom"
    DRESS = "dress"
    OUTERWEAR = "outerwear"
    FULL_OUTFIT = "full_outfit"


class RenderMode(enum.StrEnum):
    TRYON = "tryon"  # the product on the shopper, in the shopper's photo
    POSE = "pose"  # the product's model, standing in the shopper's pose


class View(enum.StrEnum):
    FRONT = "front"
    SIDE = "side"
    BACK = "back"


class Severity(enum.StrEnum):
    ERROR = "error"  # the photo cannot be used
    WARNING = "warning"  # usable, with limits the shopper should know
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One thing a photo check found, with a sentence a shopper understands."""

    code: str
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": str(self.severity), "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Finding:
        return cls(code=data["code"], severity=Severity(data["severity"]), message=data["message"])


@dataclass(frozen=True)
class BodyCoverage:
    """Which parts of the body are visible in the photo."""

    head: bool
    torso: bool
    arms: bool
    legs: bool


@dataclass(frozen=True)
class CanvasTransform:
    """Similarity transform from the original photo to the 256x176 canvas.

    ``canvas = original * scale + (offset_x, offset_y)``; the canvas is filled outside the
    photo. ``source_size`` is the original (height, width).
    """

    scale: float
    offset_x: float
    offset_y: float
    source_size: tuple[int, int]
    canvas_size: tuple[int, int] = (CANVAS_HEIGHT, CANVAS_WIDTH)

    def to_canvas(self, points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, dtype=np.float32)
        out = points * self.scale + np.array([self.offset_x, self.offset_y], dtype=np.float32)
        return np.where(points < 0, MISSING, out).astype(np.float32)

    def to_original(self, points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, dtype=np.float32)
        out = (points - np.array([self.offset_x, self.offset_y], dtype=np.float32)) / self.scale
        return np.where(points < 0, MISSING, out).astype(np.float32)


@dataclass
class PhotoAnalysis:
    """Everything the renderers need from one analysed photo, in original pixels.

    ``extras`` holds per-photo precomputations that renderers ask for (for example ADGAN's
    component style codes under ``"adgan.style"``); the store persists them with the rest.
    """

    image: np.ndarray
    keypoints: np.ndarray
    keypoint_scores: np.ndarray
    person_mask: np.ndarray
    parsing: np.ndarray
    view: View
    coverage: BodyCoverage
    findings: tuple[Finding, ...]
    canvas: CanvasTransform
    analyzer_version: str
    extras: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    def visible(self, name: str) -> bool:
        return bool(self.keypoints[KP[name], 0] >= 0)

    @property
    def has_error(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)

    def metadata(self) -> dict[str, Any]:
        """JSON-serialisable summary (no pixel arrays) for storage and APIs."""
        return {
            "keypoints": [
                None if x < 0 else [round(float(x), 2), round(float(y), 2)] for x, y in self.keypoints
            ],
            "keypoint_scores": [round(float(s), 4) for s in self.keypoint_scores],
            "view": str(self.view),
            "coverage": asdict(self.coverage),
            "findings": [f.to_dict() for f in self.findings],
            "canvas": {
                "scale": self.canvas.scale,
                "offset_x": self.canvas.offset_x,
                "offset_y": self.canvas.offset_y,
                "source_size": list(self.canvas.source_size),
                "canvas_size": list(self.canvas.canvas_size),
            },
            "analyzer_version": self.analyzer_version,
            "size": [self.height, self.width],
        }

    def save(self, target: BinaryIO) -> None:
        """Write the analysis as one compressed ``.npz`` (arrays + JSON metadata)."""
        arrays = {
            "image": self.image,
            "keypoints": self.keypoints,
            "keypoint_scores": self.keypoint_scores,
            "person_mask": self.person_mask,
            "parsing": self.parsing,
        }
        for key, value in self.extras.items():
            arrays[f"extra:{key}"] = value
        arrays["metadata"] = np.frombuffer(json.dumps(self.metadata()).encode(), dtype=np.uint8)
        np.savez_compressed(target, **arrays)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    @classmethod
    def load(cls, source: BinaryIO | bytes) -> PhotoAnalysis:
        if isinstance(source, bytes | bytearray):
            source = io.BytesIO(source)
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(bytes(data["metadata"]).decode())
            canvas = meta["canvas"]
            return cls(
                image=data["image"],
                keypoints=data["keypoints"],
                keypoint_scores=data["keypoint_scores"],
                person_mask=data["person_mask"],
                parsing=data["parsing"],
                view=View(meta["view"]),
                coverage=BodyCoverage(**meta["coverage"]),
                findings=tuple(Finding.from_dict(f) for f in meta["findings"]),
                canvas=CanvasTransform(
                    scale=canvas["scale"],
                    offset_x=canvas["offset_x"],
                    offset_y=canvas["offset_y"],
                    source_size=tuple(canvas["source_size"]),
                    canvas_size=tuple(canvas["canvas_size"]),
                ),
                analyzer_version=meta["analyzer_version"],
                extras={k[len("extra:") :]: data[k] for k in data.files if k.startswith("extra:")},
            )


# The layout of a stored packshot (``Packshot.save``): v2 the new cut-out and the garment structure
# stored with it; v3 the enabled renderers' per-packshot work stored with it too (``extras``), so the
# stale pass prepares that work once for the packshots analysed before.
PACKSHOT_FORMAT = "packshot-v3"


@dataclass
class Packshot:
    """A flat product photo (no model) with its garment mask and named landmarks.

    Landmark names are defined in :mod:`ml.garments` (``GARMENT_LANDMARKS``); points are
    (x, y) in the packshot's own pixels.
    """

    image: np.ndarray
    mask: np.ndarray
    kind: GarmentKind
    landmarks: dict[str, tuple[float, float]]
    # what the outline says (kind check, symmetry axis, sleeves, straps, neckline, waist, crotch...);
    # None for a packshot made without reading it (drawn ones, given landmarks)
    structure: GarmentStructure | None = None
    # renderer-specific arrays worth keeping with the packshot (``Renderer.precompute_packshot``)
    extras: dict[str, np.ndarray] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        """JSON-serialisable summary (no pixel arrays) for storage and APIs."""
        meta: dict[str, Any] = {
            "source": "packshot",
            "kind": str(self.kind),
            "landmarks": {name: [float(x), float(y)] for name, (x, y) in self.landmarks.items()},
            "size": list(self.image.shape[:2]),
        }
        if self.structure is not None:
            meta["structure"] = self.structure.to_dict()
        return meta

    def save(self, target: BinaryIO) -> None:
        """Write the packshot as one compressed ``.npz``: image, mask and JSON metadata tagged
        with :data:`PACKSHOT_FORMAT`."""
        metadata = json.dumps({"format": PACKSHOT_FORMAT, **self.metadata()}).encode()
        extras = {f"extra:{key}": value for key, value in self.extras.items()}
        np.savez_compressed(
            target,
            image=self.image,
            mask=self.mask,
            metadata=np.frombuffer(metadata, dtype=np.uint8),
            **extras,
        )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    @classmethod
    def load(cls, source: BinaryIO | bytes) -> Packshot:
        from ml.garments.structure import GarmentStructure

        if isinstance(source, bytes | bytearray):
            source = io.BytesIO(source)
        with np.load(source, allow_pickle=False) as data:
            meta = json.loads(bytes(data["metadata"]).decode())
            structure = meta.get("structure")
            return cls(
                image=data["image"],
                mask=data["mask"],
                kind=GarmentKind(meta["kind"]),
                landmarks={name: (float(x), float(y)) for name, (x, y) in meta["landmarks"].items()},
                structure=GarmentStructure.from_dict(structure) if structure else None,
                extras={k[len("extra:") :]: data[k] for k in data.files if k.startswith("extra:")},
            )

    @staticmethod
    def is_packshot_data(source: bytes) -> bool:
        """Whether stored analysis bytes hold a packshot (not a person photo's analysis)."""
        with np.load(io.BytesIO(source), allow_pickle=False) as data:
            return "mask" in data.files and "person_mask" not in data.files


@dataclass(frozen=True)
class GarmentSource:
    """One product to render: an analysed on-model photo or a packshot, never both."""

    kind: GarmentKind
    analysis: PhotoAnalysis | None = None
    packshot: Packshot | None = None

    def __post_init__(self) -> None:
        if (self.analysis is None) == (self.packshot is None):
            raise ValueError("GarmentSource needs exactly one of analysis or packshot")


@dataclass(frozen=True)
class RenderRequest:
    """A shopper photo and one product (a card) or several (an outfit)."""

    shopper: PhotoAnalysis
    garments: tuple[GarmentSource, ...]
    mode: RenderMode = RenderMode.TRYON


@dataclass
class RenderResult:
    """The render at the shopper photo's resolution plus a 3:4 card crop."""

    image: np.ndarray
    card: np.ndarray
    renderer: str
    version: str
    findings: tuple[Finding, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    # (H, W) float32 0..1: how much of each pixel of ``image`` shows the new garment(s); None when
    # the renderer cannot tell (a generator redraws the whole person)
    garment_alpha: np.ndarray | None = None
    # the renderer's own self-checks (names documented by each renderer), for the quality gate
    signals: dict[str, float] = field(default_factory=dict)
