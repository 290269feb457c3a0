"""Shared fixtures for the ADGAN tests: one random generator and one synthetic sample per session."""

import numpy as np
import pytest
import torch

from ml.adgan import build_generator
from ml.adgan.inference import image_tensor, parsing_tensor, pose_tensor
from ml.types import CANVAS_HEIGHT, CANVAS_WIDTH, NUM_KEYPOINTS


def synthetic_sample(seed: int) -> dict[str, np.ndarray]:
    """A canvas image with coloured horizontal bands, a parsing that follows them, and a pose map."""
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, size=(CANVAS_HEIGHT, CANVAS_WIDTH, 3), dtype=np.uint8)
    parsing = np.repeat(np.arange(8, dtype=np.uint8), CANVAS_HEIGHT // 8)[:, None].repeat(CANVAS_WIDTH, 1)
    pose = np.zeros((NUM_KEYPOINTS, CANVAS_HEIGHT, CANVAS_WIDTH), dtype=np.float32)
    for joint in range(NUM_KEYPOINTS):
        pose[joint, rng.integers(20, 236), rng.integers(20, 156)] = 1.0
    return {"image": image, "parsing": parsing, "pose": pose}


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
