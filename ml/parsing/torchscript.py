"""A learned parser plugged in by file path: a TorchScript model with a public label set.

The model takes a float tensor (1, 3, H, W), RGB in 0..1 normalised with the ImageNet mean
and standard deviation, and returns logits (1, C, h, w) (a tuple/list: the first element, or
the last one when it is a list of scales). Labels are then merged to ADGAN's eight classes by
:func:`ml.parsing.labels.merge_table`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from ml.errors import InvalidModelFile
from ml.intake import require_rgb_image
from ml.parsing.labels import LABEL_SETS, merge_table
from ml.parsing.upsample import TUNING as UPSAMPLE_TUNING
from ml.parsing.upsample import upsample_labels
from ml.pose import PoseResult, require_pose_for
from ml.tuning import versioned
from ml.types import ParsingClass

MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


class TorchScriptParser:
    name = "torchscript"

    def __init__(self, path: str | Path, label_set: str = "lip", input_size: tuple[int, int] = (473, 473)):
        if label_set not in LABEL_SETS:
            raise InvalidModelFile(
                f"Unknown parsing label set {label_set!r}; use one of {', '.join(sorted(LABEL_SETS))}."
            )
        self.path = Path(path)
        if not self.path.is_file():
            raise InvalidModelFile(f"The parsing model file {self.path} does not exist.")
        self.label_set = label_set
        self.table = merge_table(label_set)
        self.input_size = input_size
        self.version = versioned(
            f"torchscript-{label_set}-{self.path.name}-{self.path.stat().st_size}", UPSAMPLE_TUNING
        )
        self._model = None
        self._lock = threading.Lock()

    def _get_model(self):
        if self._model is None:
            import torch

            try:
                model = torch.jit.load(str(self.path), map_location="cpu")
            except Exception as error:
                raise InvalidModelFile(
                    f"The parsing model {self.path.name} is not a TorchScript file we can load."
                ) from error
            model.eval()
            self._model = model
        return self._model

    def load(self) -> None:
        with self._lock:
            self._get_model()

    def predict(self, image: np.ndarray, pose: PoseResult | None = None) -> np.ndarray:
        import torch

        require_rgb_image(image, "Parsing")
        if pose is not None:
            pose = require_pose_for(pose, image)
        in_h, in_w = self.input_size
        resized = cv2.resize(image, (in_w, in_h), interpolation=cv2.INTER_LINEAR)
        tensor = torch.from_numpy(((resized.astype(np.float32) / 255.0 - MEAN) / STD).transpose(2, 0, 1))
        with self._lock:
            model = self._get_model()
            with torch.inference_mode():
                output = model(tensor[None])
        if isinstance(output, list | tuple):
            output = output[-1] if isinstance(output, list) else output[0]
            if isinstance(output, list | tuple):
                output = output[-1]
        if not isinstance(output, torch.Tensor) or output.ndim != 4 or output.shape[0] != 1:
            raise InvalidModelFile("The parsing model must return logits shaped (1, classes, h, w).")
        if output.shape[1] != len(self.table):
            raise InvalidModelFile(
                f"The parsing model returns {output.shape[1]} classes but the {self.label_set.upper()} "
                f"label set has {len(self.table)}."
            )
        raw = output[0].argmax(dim=0).to(torch.uint8).numpy()
        # the model reads a square copy: its labels are brought back along the photo's edges
        raw = upsample_labels(raw, image)
        labels = self.table[raw]
        if pose is not None and pose.found:
            # The model's own background wins; the person mask only removes far-away blobs.
            far = cv2.dilate((pose.person_mask >= 64).astype(np.uint8), np.ones((15, 15), np.uint8)) == 0
            labels[far] = int(ParsingClass.BACKGROUND)
        return labels.astype(np.uint8)
