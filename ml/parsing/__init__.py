"""Human parsing into ADGAN's eight ``semantic_merge3`` classes (see :class:`ml.types.ParsingClass`).

``get_parser()`` returns the process-wide parser: :class:`TorchScriptParser` when the
configuration names a model (``MLConfig.parser_model``, with ``parser_labels`` = lip | atr | cihp),
otherwise the weight-free :class:`HeuristicParser`. Every parser has
``name``, ``version`` and ``predict(image, pose) -> (H, W) uint8`` labels.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ml import config
from ml._process_cache import once
from ml.parsing.heuristic import HeuristicParser
from ml.parsing.labels import merge_table
from ml.parsing.torchscript import TorchScriptParser
from ml.pose import PoseResult

__all__ = ["HeuristicParser", "Parser", "TorchScriptParser", "get_parser", "make_parser", "merge_table"]


class Parser(Protocol):
    name: str
    version: str

    def predict(self, image: np.ndarray, pose: PoseResult) -> np.ndarray: ...


def make_parser() -> Parser:
    chosen = config.current()
    if chosen.parser_model.strip():
        return TorchScriptParser(chosen.parser_model.strip(), label_set=chosen.parser_labels)
    return HeuristicParser()


@once
def get_parser() -> Parser:
    return make_parser()


config.on_change(get_parser.reset)
