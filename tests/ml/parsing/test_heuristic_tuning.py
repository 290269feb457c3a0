"""The heuristic parser's tuning: a named config whose numbers reach the labels and the version."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

import ml.parsing
from ml.analysis import ANALYZER_VERSION, PhotoAnalyzer
from ml.parsing import HeuristicParser
from ml.parsing.heuristic import BASE_VERSION, TUNING, ParsingTuning
from ml.parsing.upsample import TUNING as UPSAMPLE_TUNING
from ml.pose import PoseResult
from ml.tuning import tuning_digest
from ml.types import NUM_KEYPOINTS
from ml.types import ParsingClass as C
from tests.support.figures import head_and_neck, keypoints_of

MAX_FUNCTION_LINES = 80
PARSING_DIR = Path(ml.parsing.__file__).parent

WIDTH, HEIGHT, CX = 200, 300, 100
PAPER = (245, 245, 245)
SKIN = (224, 172, 140)
DRESS = (30, 35, 70)
# The arms are skin shifted this far along Lab's b axis (OpenCV 8-bit units) from the face's skin.
ARM_SHIFT_B = 18
JOINTS = {
    "nose": (CX, 40),
    "right_eye": (CX - 7, 35),
    "left_eye": (CX + 7, 35),
    "right_ear": (CX - 16, 40),
    "left_ear": (CX + 16, 40),
    "neck": (CX, 70),
    "right_shoulder": (CX - 30, 72),
    "left_shoulder": (CX + 30, 72),
    "right_elbow": (CX - 55, 115),
    "left_elbow": (CX + 55, 115),
    "right_wrist": (CX - 75, 155),
    "left_wrist": (CX + 75, 155),
    "right_hip": (CX - 20, 165),
    "left_hip": (CX + 20, 165),
    "right_knee": (CX - 22, 225),
    "left_knee": (CX + 22, 225),
    "right_ankle": (CX - 24, 285),
    "left_ankle": (CX + 24, 285),
}


def _nudged(value):
    """``value`` with one number changed (the first one of a tuple)."""
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 0.5
    if isinstance(value, tuple):
        return (_nudged(value[0]), *value[1:])
    raise TypeError(f"no nudge for {value!r}")


def _lab(rgb: tuple[int, int, int]) -> np.ndarray:
    return cv2.cvtColor(np.array([[rgb]], np.uint8), cv2.COLOR_RGB2LAB)[0, 0].astype(np.float32)


def _arm_colour() -> tuple[int, int, int]:
    lab = _lab(SKIN) + np.array([0, 0, ARM_SHIFT_B], np.float32)
    rgb = cv2.cvtColor(lab.astype(np.uint8)[None, None], cv2.COLOR_LAB2RGB)[0, 0]
    return tuple(int(v) for v in rgb)


def _dressed_figure() -> tuple[np.ndarray, PoseResult, np.ndarray]:
    """A figure in a plain navy dress to the knees, bare shins, and bare arms a little yellower
    than the face; returns the image, its pose and the arms' core (away from their edges)."""
    image = np.full((HEIGHT, WIDTH, 3), PAPER, np.uint8)
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    arm_colour = _arm_colour()

    def line(a: str, b: str, thickness: int, colour) -> np.ndarray:
        layer = np.zeros((HEIGHT, WIDTH), np.uint8)
        cv2.line(layer, JOINTS[a], JOINTS[b], 1, thickness)
        image[layer > 0] = colour
        mask[layer > 0] = 255
        return layer > 0

    arms = np.zeros((HEIGHT, WIDTH), bool)
    for side in ("right", "left"):
        line(f"{side}_knee", f"{side}_ankle", 14, SKIN)
        arms |= line(f"{side}_shoulder", f"{side}_elbow", 13, arm_colour)
        arms |= line(f"{side}_elbow", f"{side}_wrist", 11, arm_colour)
    dress = np.zeros((HEIGHT, WIDTH), np.uint8)
    outline = [(CX - 32, 70), (CX + 32, 70), (CX + 46, 230), (CX - 46, 230)]
    cv2.fillPoly(dress, [np.array(outline, np.int32)], 1)
    image[dress > 0], mask[dress > 0] = DRESS, 255
    arms &= dress == 0
    head = head_and_neck((HEIGHT, WIDTH), CX)
    image[head], mask[head] = SKIN, 255
    keypoints = keypoints_of(JOINTS)
    pose = PoseResult(
        keypoints=keypoints, scores=np.ones(NUM_KEYPOINTS, np.float32), person_mask=mask, found=False
    )
    arm_core = cv2.erode(arms.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return image, pose, arm_core


def test_equal_configs_give_equal_versions_on_the_base_version():
    # given the default parser and one built with a separately made default config
    # when their versions are read
    # then they are equal: the base version and the config's digest
    assert HeuristicParser().version == HeuristicParser(ParsingTuning()).version
    assert HeuristicParser().version == f"{BASE_VERSION}+{tuning_digest(TUNING, UPSAMPLE_TUNING)}"
    assert BASE_VERSION == "heuristic-15"


@pytest.mark.parametrize("field", [field.name for field in dataclasses.fields(ParsingTuning)])
def test_changing_any_number_changes_the_version(field):
    # given a config with one number changed
    changed = dataclasses.replace(TUNING, **{field: _nudged(getattr(TUNING, field))})
    # when a parser is built with it
    # then its version differs from the default parser's, and so does the analyser's built on it
    assert HeuristicParser(changed).version != HeuristicParser().version
    default_analyzer = PhotoAnalyzer(pose=object(), parser=HeuristicParser())
    changed_analyzer = PhotoAnalyzer(pose=object(), parser=HeuristicParser(changed))
    assert changed_analyzer.version != default_analyzer.version
    assert changed_analyzer.version.startswith(f"{ANALYZER_VERSION}+{BASE_VERSION}+")


def test_every_nudged_config_has_its_own_version():
    # given one config per field, each with that field's number changed
    versions = {
        HeuristicParser(dataclasses.replace(TUNING, **{f.name: _nudged(getattr(TUNING, f.name))})).version
        for f in dataclasses.fields(ParsingTuning)
    }
    # then no two share a version, and none is the default's
    assert len(versions) == len(dataclasses.fields(ParsingTuning))
    assert HeuristicParser().version not in versions


def test_the_parser_reads_its_own_config_the_skin_tolerance():
    # given bare arms whose colour is 3 skin spreads from the face's skin (the skin model's spread
    # is its floor on a flat face): within the default tolerance, outside a stricter one
    image, pose, arm_core = _dressed_figure()
    spreads = abs(float(_lab(_arm_colour())[2] - _lab(SKIN)[2])) / TUNING.skin_floor[2]
    assert 2.5 < spreads < TUNING.skin_max_cost
    strict = dataclasses.replace(TUNING, skin_max_cost=2.5)
    # when the figure is parsed with the default config and with the strict one
    default_labels = HeuristicParser().predict(image, pose)
    strict_labels = HeuristicParser(strict).predict(image, pose)
    # then the arms are arms by default and the garment's colour class under the strict tolerance,
    # while the face and shins stay skin either way
    assert arm_core.sum() > 500
    assert np.unique(default_labels[arm_core]).tolist() == [C.ARMS]
    assert np.unique(strict_labels[arm_core]).tolist() == [C.UPPER_CLOTHES]
    nose = JOINTS["nose"][::-1]
    assert default_labels[nose] == strict_labels[nose] == C.FACE
    shin = (255, JOINTS["right_ankle"][0] + 1)
    assert default_labels[shin] == strict_labels[shin] == C.LEGS


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_the_long_function_check_finds_a_long_function(tmp_path):
    # given a file with one function of 81 lines (def line to last line) and one of 80
    body = "\n".join(f"    x{i} = {i}" for i in range(79))
    source = f"def long():\n{body}\n    return 0\n\n\ndef fine():\n{body}\n"
    (tmp_path / "sample.py").write_text(source)
    # when it is checked
    # then only the long one is reported
    assert _long_functions(tmp_path / "sample.py") == ["sample.py:1 long (81 lines)"]


def test_no_function_in_ml_parsing_is_over_80_lines():
    # given every module of ml/parsing, the heuristic parser's package included
    paths = sorted(PARSING_DIR.rglob("*.py"))
    names = {str(path.relative_to(PARSING_DIR)) for path in paths}
    assert names >= {
        "__init__.py",
        "heuristic/__init__.py",
        "heuristic/skin.py",
        "labels.py",
        "torchscript.py",
    }
    # then none has a function (or method) longer than 80 lines
    assert [line for path in paths for line in _long_functions(path)] == []
