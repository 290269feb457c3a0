"""The body model's batched forward pass used by the fit."""

from __future__ import annotations

import pytest

from ml.body.model import LOCAL_CHANGES, get_body_model

pytestmark = pytest.mark.slow
MICROMETRE = 1e-6  # the model's units are metres


def test_shapes_posed_in_copies_are_the_repeated_shapes_posed():
    import roma
    import torch

    # given: two shapes, each posed twice in different poses
    model = get_body_model()
    generator = torch.Generator().manual_seed(0)
    phenotypes = torch.rand(2, 6, generator=generator)
    local_changes = torch.rand(2, len(LOCAL_CHANGES), generator=generator) - 0.5
    pose = torch.eye(4).repeat(4, model.anny.bone_count, 1, 1)
    rotations = 0.2 * torch.randn(4, model.anny.bone_count, 3, generator=generator)
    pose[:, :, :3, :3] = roma.rotvec_to_rotmat(rotations)

    # when
    with torch.no_grad():
        shared = model.forward_posed_copies(phenotypes, local_changes, pose, 2)
        repeated_shapes = (phenotypes.repeat_interleave(2, 0), local_changes.repeat_interleave(2, 0))
        repeated = model.forward(*repeated_shapes, pose)

    # then: the same vertices, and one rest mesh per shape (to a micrometre: the two batch shapes can
    # take different BLAS paths, so the last bit of a float may differ from one machine to another)
    assert shared["vertices"].shape == (4, repeated["vertices"].shape[1], 3)
    assert (shared["vertices"] - repeated["vertices"]).abs().max() < MICROMETRE
    assert (shared["rest_vertices"] - repeated["rest_vertices"][::2]).abs().max() < MICROMETRE
