"""Human parsing into ADGAN's eight ``semantic_merge3`` classes (see :class:`ml.types.ParsingClass`).

``get_parser()`` returns the process-wide parser: :class:`TorchScriptParser` when the
environment names a model (``ML_PARSER_MODEL`` = path, ``ML_PARSER_LABELS`` = lip | atr | cihp,
default lip), otherwise the weight-free :class:`HeuristicParser`. Every parser has
``name``, ``version`` and ``predict(image, pose) -> (H, W) uint8`` labels.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from ml._process_cache import once
from ml.parsing.heuristic import HeuristicParser
from ml.parsing.labels import merge_table
from ml.parsing.torchscript import TorchScriptParser
from ml.pose import PoseResult

__all__ = ["HeuristicParser", "Parser", "TorchScriptParser", "get_parser", "make_parser", "merge_table"]

PARSER_MODEL_ENV = "ML_PARSER_MODEL"
PARSER_LABELS_ENV = "ML_PARSER_LABELS"


class Parser(Protocol):
    name: str
    version: str

    def predict(self, image: np.ndarray, pose: PoseResult) -> np.ndarray: ...


def make_parser() -> Parser:
    path = os.environ.get(PARSER_MODEL_ENV, "").strip()
    if path:
        return TorchScriptParser(path, label_set=os.environ.get(PARSER_LABELS_ENV, "lip").strip().lower())
    return HeuristicParser()


@once
def get_parser() -> Parser:
    return make_parser()
