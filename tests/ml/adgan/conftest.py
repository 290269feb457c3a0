"""Shared fixtures for the ADGAN tests: one random generator and one synthetic sample per session.

Building the generator costs 20-30 s on a CPU: every test that uses it (or takes over a second) is
marked ``slow``, so `make test-quick` (`pytest -m "not slow"`) never builds it.
"""

import numpy as np
import pytest
import torch

from ml.adgan import build_generator
from ml.adgan.inference import image_tensor, parsing_tensor, pose_tensor
from ml.canvas import fit_canvas
from ml.types import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    KP,
    NUM_KEYPOINTS,
    BodyCoverage,
    ParsingClass,
    PhotoAnalysis,
    View,
)


def synthetic_sample(seed: int) -> dict[str, np.ndarray]:
    """A canvas image with coloured horizontal bands, a parsing that follows them, and a pose map."""
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, size=(CANVAS_HEIGHT, CANVAS_WIDTH, 3), dtype=np.uint8)
    parsing = np.repeat(np.arange(8, dtype=np.uint8), CANVAS_HEIGHT // 8)[:, None].repeat(CANVAS_WIDTH, 1)
    pose = np.zeros((NUM_KEYPOINTS, CANVAS_HEIGHT, CANVAS_WIDTH), dtype=np.float32)
    for joint in range(NUM_KEYPOINTS):
        pose[joint, rng.integers(20, 236), rng.integers(20, 156)] = 1.0
    return {"image": image, "parsing": parsing, "pose": pose}


def person_analysis(height: int, width: int, shade: int, seed: int) -> PhotoAnalysis:
    """A standing figure drawn with rectangles, with its parsing, mask and keypoints."""
    rng = np.random.default_rng(seed)
    image = np.full((height, width, 3), 235, dtype=np.uint8)
    parsing = np.zeros((height, width), dtype=np.uint8)
    cx = width // 2

    def box(x0, y0, x1, y1, label, colour):
        parsing[int(y0 * height) : int(y1 * height), int(cx + x0 * width) : int(cx + x1 * width)] = label
        image[int(y0 * height) : int(y1 * height), int(cx + x0 * width) : int(cx + x1 * width)] = colour

    box(-0.05, 0.05, 0.05, 0.12, ParsingClass.HAIR, (40, 30, 20))
    box(-0.05, 0.12, 0.05, 0.2, ParsingClass.FACE, (220, 180, 150))
    box(-0.2, 0.22, -0.13, 0.5, ParsingClass.ARMS, (220, 180, 150))
    box(0.13, 0.22, 0.2, 0.5, ParsingClass.ARMS, (220, 180, 150))
    box(-0.13, 0.2, 0.13, 0.52, ParsingClass.UPPER_CLOTHES, (shade, 40, 255 - shade))
    box(-0.11, 0.52, 0.11, 0.88, ParsingClass.PANTS, (30, 30, shade))
    box(-0.11, 0.88, 0.11, 0.95, ParsingClass.LEGS, (20, 20, 20))
    image = np.clip(image.astype(int) + rng.integers(-8, 9, image.shape), 0, 255).astype(np.uint8)
    mask = np.where(parsing > 0, 255, 0).astype(np.uint8)
    keypoints = np.full((18, 2), -1.0, dtype=np.float32)
    places = {
        "nose": (0, 0.16),
        "neck": (0, 0.21),
        "right_shoulder": (-0.12, 0.23),
        "left_shoulder": (0.12, 0.23),
        "right_elbow": (-0.17, 0.36),
        "left_elbow": (0.17, 0.36),
        "right_wrist": (-0.17, 0.49),
        "left_wrist": (0.17, 0.49),
        "right_hip": (-0.07, 0.52),
        "left_hip": (0.07, 0.52),
        "right_knee": (-0.07, 0.7),
        "left_knee": (0.07, 0.7),
        "right_ankle": (-0.07, 0.9),
        "left_ankle": (0.07, 0.9),
    }
    for name, (dx, y) in places.items():
        keypoints[KP[name]] = (cx + dx * width, y * height)
    return PhotoAnalysis(
        image=image,
        keypoints=keypoints,
        keypoint_scores=np.where(keypoints[:, 0] >= 0, 0.9, 0.0).astype(np.float32),
        person_mask=mask,
        parsing=parsing,
        view=View.FRONT,
        coverage=BodyCoverage(head=True, torso=True, arms=True, legs=True),
        findings=(),
        canvas=fit_canvas((height, width), mask, keypoints),
        analyzer_version="test",
    )


@pytest.fixture(scope="session")
def make_person():
    return person_analysis


@pytest.fixture(scope="session")
def generator():
    torch.manual_seed(1234)
    return build_generator().eval()


@pytest.fixture(scope="session")
def make_sample():
    return synthetic_sample


@pytest.fixture(scope="session")
def sample():
    return synthetic_sample(0)


@pytest.fixture(scope="session")
def sample_tensors(sample):
    return (pose_tensor(sample["pose"]), image_tensor(sample["image"]), parsing_tensor(sample["parsing"]))


@pytest.fixture(scope="session")
def reference_output(generator, sample_tensors):
    with torch.inference_mode():
        return generator(*sample_tensors)
