"""Training pairs: DeepFashion in the official layout, or a folder of photos this project analyses.

Every item is a dict of tensors as the official loader builds them: ``P1`` (source image, [-1, 1]),
``SP1`` (its one-hot ``semantic_merge3`` parsing), ``BP1`` (its pose map), ``P2``/``BP2`` (the target
image and pose). Pose maps are ADGAN's: one pixel of 1.0 per visible joint.

DeepFashion layout (``--deepfashion ROOT``)::

    ROOT/fashion_resize/train/<name>.jpg           256x176 images
    ROOT/fashion_resize/trainK/<name>.npy          (256, 176, 18) pose maps (optional, see below)
    ROOT/fashion-resize-annotation-train.csv       name:keypoints_y:keypoints_x (used without trainK)
    ROOT/fashion-resize-pairs-train.csv            from,to
    ROOT/semantic_merge3/MEN/Denim/id_00000080/01_1_front.npy   (256, 176) class ids
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections import defaultdict
from itertools import permutations
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from ml.canvas import pose_map_official
from ml.errors import MLError
from ml.types import CANVAS_HEIGHT, CANVAS_WIDTH, KEYPOINT_NAMES, PhotoAnalysis

from . import canvas_io
from .inference import image_tensor, parsing_tensor

log = logging.getLogger(__name__)

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
# "sku12_front.jpg" and "sku12_back.jpg" (or DeepFashion's "..._1front") show the same product/person
DEFAULT_PAIR_PATTERN = r"^(?P<key>.+)[_-]\d*(front|back|side|left|right|full|additional|detail|flat)\d*$"
# channel order of a horizontally flipped pose map: left and right joints swap
FLIP_PERMUTATION = [
    KEYPOINT_NAMES.index(
        name.replace("right_", "@").replace("left_", "right_").replace("@", "left_")
        if ("right_" in name or "left_" in name)
        else name
    )
    for name in KEYPOINT_NAMES
]


def _item(p1, sp1, bp1, p2, bp2) -> dict[str, torch.Tensor]:
    return {
        "P1": image_tensor(p1)[0],
        "SP1": parsing_tensor(sp1)[0],
        "BP1": torch.from_numpy(np.ascontiguousarray(bp1, dtype=np.float32)),
        "P2": image_tensor(p2)[0],
        "BP2": torch.from_numpy(np.ascontiguousarray(bp2, dtype=np.float32)),
    }


class DeepFashionPairs(Dataset):
    def __init__(self, root: str | Path, phase: str = "train") -> None:
        self.root = Path(root)
        self.images = self.root / "fashion_resize" / phase
        self.poses = self.root / "fashion_resize" / f"{phase}K"
        self.semantics = self.root / "semantic_merge3"
        pairs_file = self.root / f"fashion-resize-pairs-{phase}.csv"
        if not pairs_file.is_file():
            raise FileNotFoundError(pairs_file)
        with open(pairs_file, newline="") as handle:
            self.pairs = [(row["from"], row["to"]) for row in csv.DictReader(handle)]
        if not self.pairs:
            raise MLError(f"The pair list {pairs_file} is empty.")
        self.keypoints: dict[str, np.ndarray] = {}
        annotations = self.root / f"fashion-resize-annotation-{phase}.csv"
        if not self.poses.is_dir():
            if not annotations.is_file():
                raise MLError(f"DeepFashion needs either {self.poses} or {annotations} for the poses.")
            with open(annotations, newline="") as handle:
                for row in csv.DictReader(handle, delimiter=":"):
                    ys, xs = json.loads(row["keypoints_y"]), json.loads(row["keypoints_x"])
                    points = np.array([[x, y] for x, y in zip(xs, ys, strict=True)], dtype=np.float32)
                    self.keypoints[row["name"]] = np.where(points < 0, -1.0, points)

    def __len__(self) -> int:
        return len(self.pairs)

    @staticmethod
    def semantic_path(name: str) -> Path:
        """'fashionMENDenimid0000008001_1front.jpg' -> 'MEN/Denim/id_00000080/01_1_front.npy'."""
        body = name[len("fashion") :]
        gender = "WOMEN" if body.startswith("WOMEN") else "MEN"
        at = body.rfind("id0")
        category = body[len(gender) : at]
        ident = body[at : at + 10]
        pose = Path(body[at + 10 :]).stem
        return Path(gender, category, f"{ident[:2]}_{ident[2:]}", f"{pose[:4]}_{pose[4:]}.npy")

    def _image(self, name: str) -> np.ndarray:
        with Image.open(self.images / name) as image:
            array = np.asarray(image.convert("RGB"))
        if array.shape[:2] != (CANVAS_HEIGHT, CANVAS_WIDTH):
            raise MLError(f"DeepFashion image {name} is not {CANVAS_HEIGHT}x{CANVAS_WIDTH}.")
        return array

    def _pose(self, name: str) -> np.ndarray:
        if name in self.keypoints:
            return pose_map_official(self.keypoints[name])
        return np.load(self.poses / f"{name}.npy").astype(np.float32).transpose(2, 0, 1)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        source, target = self.pairs[index]
        parsing = np.load(self.semantics / self.semantic_path(source))
        return _item(
            self._image(source), parsing, self._pose(source), self._image(target), self._pose(target)
        )


def _flip(image: np.ndarray, parsing: np.ndarray, pose: np.ndarray):
    return image[:, ::-1], parsing[:, ::-1], pose[FLIP_PERMUTATION][:, :, ::-1]


class AnalysedPhotoPairs(Dataset):
    """Photos analysed by ``ml.analysis`` (cached as ``.npz``), paired by name or with themselves.

    Photos whose names match :data:`DEFAULT_PAIR_PATTERN` with the same key (the same product or
    person from several views) give every ordered pair; every other photo gives a self-pair whose
    target is its mirror image (pose, parsing and left/right joints flipped).
    """

    def __init__(
        self, folder: str | Path, cache: str | Path, pair_pattern: str = DEFAULT_PAIR_PATTERN
    ) -> None:
        folder, cache = Path(folder), Path(cache)
        photos = sorted(p for p in folder.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
        if not photos:
            raise MLError(f"There are no photos ({', '.join(PHOTO_SUFFIXES)}) in {folder}.")
        cache.mkdir(parents=True, exist_ok=True)
        self.samples: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        names: list[str] = []
        for photo in photos:
            analysis = self._analyse(photo, cache)
            if analysis is None:
                continue
            inputs = canvas_io.photo_inputs(analysis)
            self.samples.append((inputs.image, inputs.parsing, inputs.pose_map))
            names.append(photo.stem)
        if not self.samples:
            raise MLError(f"None of the photos in {folder} could be analysed.")
        groups: dict[str, list[int]] = defaultdict(list)
        pattern = re.compile(pair_pattern)
        for index, name in enumerate(names):
            match = pattern.match(name)
            groups[match.group("key") if match else f"\0{name}"].append(index)
        self.pairs: list[tuple[int, int, bool]] = []  # (source, target, flip target)
        for members in groups.values():
            if len(members) > 1:
                self.pairs += [(a, b, False) for a, b in permutations(members, 2)]
            else:
                self.pairs.append((members[0], members[0], True))

    @staticmethod
    def _analyse(photo: Path, cache: Path) -> PhotoAnalysis | None:
        from ml.analysis import analyze_file

        cached = cache / f"{photo.stem}.npz"
        if cached.is_file() and cached.stat().st_mtime >= photo.stat().st_mtime:
            with open(cached, "rb") as handle:
                return PhotoAnalysis.load(handle)
        try:
            analysis = analyze_file(photo)
        except MLError as error:
            log.warning("skipping %s: %s", photo.name, error.message)
            return None
        if analysis.has_error:
            log.warning("skipping %s: %s", photo.name, "; ".join(f.message for f in analysis.findings))
            return None
        with open(cached, "wb") as handle:
            analysis.save(handle)
        return analysis

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        source, target, flip = self.pairs[index]
        image, parsing, pose = self.samples[source]
        target_image, _, target_pose = self.samples[target]
        if flip:
            target_image, _, target_pose = _flip(target_image, parsing, target_pose)
        return _item(image, parsing, pose, target_image, target_pose)
