"""The body model fit and its measurements: real photos, synthetic bodies with known truth,
refusals with plain reasons, the CLI."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from ml.body import (
    FRONT_ONLY_FLOOR_CM,
    FRONT_SIDE_FLOOR_CM,
    CannotMeasure,
    measure_body,
    measure_observations,
)
from ml.body.measure import MEASUREMENT_NAMES, _hull, convex_perimeter, measure_mesh
from ml.body.model import get_body_model
from ml.body.synthetic import draw_body
from ml.intake import load_image

pytestmark = pytest.mark.slow

PHOTOS = ("onmodel_01.jpg", "onmodel_33.jpg")  # full-body fronts among the fixtures


@pytest.fixture(scope="module")
def model():
    return get_body_model()


@pytest.fixture(scope="module")
def real_fits(people_dir, model):
    """Each photo measured at 170 cm, the same observation at 187 cm, and the photo scaled by 0.75."""
    from ml.body.observe import observe

    fits = {}
    for name in PHOTOS:
        image = load_image(people_dir / name)
        small = cv2.resize(
            image, (round(image.shape[1] * 0.75), round(image.shape[0] * 0.75)), interpolation=cv2.INTER_AREA
        )
        seen = observe(image, view="front")
        fits[name] = {
            "170": measure_observations([seen], height_cm=170),
            "187": measure_observations([seen], height_cm=187),
            "small": measure_body(small, height_cm=170),
        }
    return fits


@pytest.mark.parametrize("name", PHOTOS)
def test_real_photos_give_plausible_adult_figures(real_fits, name):
    result = real_fits[name]["170"]
    values = {n: m.value_cm for n, m in result.measurements.items()}

    assert set(values) == set(MEASUREMENT_NAMES)
    assert 70 <= values["chest"] <= 125
    assert 60 <= values["under_bust"] <= 120
    assert 55 <= values["waist"] <= 120
    assert 80 <= values["hips"] <= 130
    assert 40 <= values["thigh"] <= 75
    assert 65 <= values["inseam"] <= 90
    assert 33 <= values["shoulder_width"] <= 55
    assert 45 <= values["arm_length"] <= 65
    assert 28 <= values["neck"] <= 48
    assert all(0 < m.uncertainty_cm < 15 for m in result.measurements.values())
    assert result.clothing_allowance_cm  # these models wear clothes, and the result says so
    assert any("Clothing" in note for note in result.notes)


@pytest.mark.parametrize("name", PHOTOS)
def test_every_figure_scales_with_the_stated_height(real_fits, name):
    at_170, at_187 = real_fits[name]["170"], real_fits[name]["187"]

    ratios = [at_187.measurements[n].value_cm / at_170.measurements[n].value_cm for n in MEASUREMENT_NAMES]

    assert ratios == pytest.approx([1.1] * len(MEASUREMENT_NAMES), abs=0.002)


@pytest.mark.parametrize("name", PHOTOS)
def test_figures_are_stable_when_the_photo_is_scaled_by_three_quarters(real_fits, name):
    full, small = real_fits[name]["170"], real_fits[name]["small"]

    changes = {
        n: abs(small.measurements[n].value_cm / full.measurements[n].value_cm - 1) for n in MEASUREMENT_NAMES
    }

    # Measured on these photos (fit-3): chest, hips, inseam and arm length move by up to 2.5 %, the
    # waist by 5.0 % (onmodel_33; 2.3 % with fit-1, though over all 19 whole-body photos the mean
    # change fell), under-bust, shoulder width, thigh and neck by up to 3.6 %; with fit-4 (the
    # clothes' ease) the neck of onmodel_33 moves by 6.0 % and onmodel_01's thigh by 3.8 %. With the
    # pose steadied over the photo's sizes (fit-5) every figure of onmodel_33 moves by at most 1.3 %,
    # onmodel_01's hips by 3.0 % and its chest and thigh by 2.3 %, while over the 19 photos the mean
    # change fell from 2.6 to 1.7 %. The goal is 2 % for every figure, not met (`python -m
    # benchmarks.body --real`; see README).
    assert max(changes[n] for n in ("chest", "hips", "inseam", "arm_length")) <= 0.035, changes
    assert changes["waist"] <= 0.06, changes
    assert max(changes[n] for n in ("under_bust", "shoulder_width", "thigh", "neck")) <= 0.07, changes


def test_the_same_photo_is_seen_the_same_way_twice(people_dir):
    from ml.body.observe import observe

    image = load_image(people_dir / PHOTOS[0])

    first, second = observe(image, view="front"), observe(image.copy(), view="front")

    assert np.array_equal(first.mask, second.mask)
    assert np.array_equal(first.landmarks, second.landmarks)
    assert np.array_equal(first.allowance_cm, second.allowance_cm)  # the parser's k-means is seeded
    assert first.clothing == second.clothing


def test_a_synthetic_body_is_recovered_from_front_and_side(model):
    # given: a body of the model's own space with known measurements
    body = draw_body(model, np.random.default_rng(7), outfit="bare")

    # when
    result = measure_observations(
        [body.views["front"], body.views["side"]], height_cm=body.height_cm, with_uncertainty=False
    )

    # then
    errors = {n: abs(result.measurements[n].value_cm - body.truth[n]) for n in MEASUREMENT_NAMES}
    assert errors["inseam"] <= 4.0, errors
    assert errors["arm_length"] <= 3.0, errors
    assert max(errors[n] for n in ("chest", "waist", "hips")) <= 6.0, errors
    # and: without the fit's own spread, each figure's uncertainty is the method's measured error
    assert {n: m.uncertainty_cm for n, m in result.measurements.items()} == FRONT_SIDE_FLOOR_CM


def test_a_front_photo_alone_states_the_larger_front_only_uncertainty(model):
    body = draw_body(model, np.random.default_rng(7), outfit="bare")

    result = measure_observations([body.views["front"]], height_cm=body.height_cm, with_uncertainty=False)

    assert {n: m.uncertainty_cm for n, m in result.measurements.items()} == FRONT_ONLY_FLOOR_CM
    assert all(FRONT_ONLY_FLOOR_CM[n] >= FRONT_SIDE_FLOOR_CM[n] for n in MEASUREMENT_NAMES)


def test_measurements_of_the_average_bodies_are_in_human_ranges(model):
    import torch

    for gender in (0.0, 1.0):
        out = model.forward(torch.tensor([[gender, 0.8, 0.5, 0.5, 0.5, 0.5]]), torch.zeros(1, 10), None)
        rest = out["rest_vertices"][0].detach()
        scale = 1.7 / float(rest[:, 2].max() - rest[:, 2].min())
        keypoints = model.keypoints(out["rest_vertices"])[0].detach().numpy() * scale
        values = measure_mesh(
            rest.numpy() * scale, model.faces, keypoints, model.waist_loop, model.bust_points
        )
        assert 80 <= values["chest"] <= 110
        assert 60 <= values["waist"] <= 95
        assert 85 <= values["hips"] <= 110
        assert values["hips"] > values["waist"]
        assert 70 <= values["inseam"] <= 85


# Two women whose torsos differ by under 1.5 cm of girth at every level of the chest: a synthetic body
# of the benchmark (seed 2026, body 4) and the body the fit found for it. Measured at the level of the
# chest's most forward point, their chests came out 7.7 cm apart (89.5 and 97.2 cm): on a flat chest
# that level jumped.
CLOSE_WOMEN = (
    (
        {"gender": 0.01, "age": 0.79, "muscle": 0.15, "weight": 0.67, "height": 0.65, "proportions": 0.27},
        (0.26, -0.31, -0.4, 0.52, 0.45, -0.05, -0.12, 0.12, -0.23, -0.01),
    ),
    (
        {"gender": 0.25, "age": 0.82, "muscle": 0.27, "weight": 0.73, "height": 0.56, "proportions": 0.41},
        (0.07, 0.12, -0.15, 0.22, 0.36, 0.0, 0.35, 0.13, 0.06, -0.01),
    ),
)


def test_bodies_with_the_same_chest_girths_get_the_same_chest(model):
    import torch

    from ml.body.measure import MeshSections
    from ml.body.model import LOCAL_CHANGES, PHENOTYPES

    # given: two bodies whose torso girths between the under-bust and the armpits differ by < 1.5 cm
    chests, profiles = [], []
    for phenotypes, local in CLOSE_WOMEN:
        local_changes = dict(zip(LOCAL_CHANGES, local, strict=True))
        out = model.forward(
            torch.tensor([[phenotypes[n] for n in PHENOTYPES]]),
            torch.tensor([[local_changes[n] for n in model.local_change_labels]]),
            None,
        )
        rest = out["rest_vertices"][0].detach().numpy().astype(np.float64)
        scale = 1.7 / float(np.ptp(rest[:, 2]))
        vertices = rest * scale
        keypoints = model.keypoints(out["rest_vertices"])[0].detach().numpy() * scale
        sections = MeshSections(vertices - [0.0, 0.0, vertices[:, 2].min()], model.faces)
        profiles.append(
            [convex_perimeter(sections.part_at(z, 0.0, 0.0)) * 100 for z in np.linspace(1.10, 1.28, 10)]
        )
        # when: both are measured
        values = measure_mesh(vertices, model.faces, keypoints, model.waist_loop, model.bust_points)
        chests.append(values["chest"])
    profiles = np.array(profiles)
    assert np.abs(profiles[0] - profiles[1]).max() < 1.5

    # then: their chests agree as closely, and each is one of the chest's own girths
    assert abs(chests[0] - chests[1]) < 2.0, chests
    for chest, profile in zip(chests, profiles, strict=True):
        assert profile.min() - 1.0 <= chest <= profile.max() + 1.0, (chest, profile)


def test_a_section_through_mesh_vertices_reads_the_same_as_one_a_hair_above_them(model):
    import torch

    from ml.body.measure import MeshSections

    # given: the average woman, and the level of her bust points (the plane passes through both)
    out = model.forward(torch.tensor([[0.0, 0.8, 0.5, 0.5, 0.5, 0.5]]), torch.zeros(1, 10), None)
    vertices = out["rest_vertices"][0].detach().numpy().astype(np.float64)
    level = float(vertices[list(model.bust_points), 2].mean())
    assert (vertices[:, 2] == level).sum() >= 2
    sections = MeshSections(vertices, model.faces)

    # when: the mesh is cut at that level and 10 micrometres above it
    through = sorted(convex_perimeter(loop) for loop in sections.loops(level))
    above = sorted(convex_perimeter(loop) for loop in sections.loops(level + 1e-5))

    # then: the same loops (two arms and the torso), not a torso cut open into pieces
    assert len(through) == len(above) == 3
    assert np.allclose(through, above, atol=1e-4)


def test_no_height_is_refused_with_a_reason(people_dir):
    image = load_image(people_dir / PHOTOS[0])

    with pytest.raises(CannotMeasure) as error:
        measure_body(image, height_cm=None)

    assert error.value.message == (
        "Enter your height so that we can measure you: photos alone do not give the scale."
    )


def test_a_photo_without_the_feet_is_refused(people_dir):
    image = load_image(people_dir / PHOTOS[0])
    upper = np.ascontiguousarray(image[: image.shape[0] // 2])

    with pytest.raises(CannotMeasure) as error:
        measure_body(upper, height_cm=170)

    assert "does not show your feet" in error.value.message


def test_a_person_cut_off_at_the_top_is_refused(people_dir):
    image = load_image(people_dir / PHOTOS[0])
    cropped = np.ascontiguousarray(image[int(image.shape[0] * 0.06) :])

    with pytest.raises(CannotMeasure) as error:
        measure_body(cropped, height_cm=170)

    assert error.value.message in (
        "You are cut off at the top of the front photo; leave some space above your head.",
        "The front photo does not show your head; we need your whole body, head to feet.",
    )


def _measure_args(people_dir, *extra: str) -> list[str]:
    """``python -m ml measure`` on the first test photo at 172 cm, with ``extra`` options."""
    return ["measure", "--front", str(people_dir / PHOTOS[0]), "--height", "172", *extra]


def test_the_cli_prints_json_and_draws_the_overlay_and_the_mannequin(people_dir, tmp_path, capsys):
    from PIL import Image

    from ml.body.mannequin import MANNEQUIN_HEIGHT_PX, MARGIN_PX
    from ml.cli import main

    overlay = tmp_path / "fit.png"
    mannequin = tmp_path / "mannequin.png"
    status = main(
        _measure_args(people_dir, "--json", "--overlay", str(overlay), "--mannequin", str(mannequin))
    )

    assert status == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["height_cm"] == 172
    assert set(printed["measurements"]) == set(MEASUREMENT_NAMES)
    assert printed["views"] == ["front"]
    assert overlay.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    drawn = Image.open(mannequin)
    assert (drawn.mode, drawn.size[1]) == ("RGBA", MANNEQUIN_HEIGHT_PX + 2 * MARGIN_PX)


def test_the_cli_refuses_a_photo_without_feet_in_one_line(people_dir, tmp_path, capsys):
    from ml.cli import main

    image = load_image(people_dir / PHOTOS[0])
    path = tmp_path / "upper.png"
    cv2.imwrite(str(path), cv2.cvtColor(image[: image.shape[0] // 2], cv2.COLOR_RGB2BGR))

    status = main(["measure", "--front", str(path), "--height", "172"])

    assert status == 2
    assert "does not show your feet" in capsys.readouterr().err


def test_the_cli_passes_the_stated_fit_of_the_clothes_to_the_measurement(people_dir, monkeypatch, capsys):
    import ml.body
    from ml.body.types import ClothesFit
    from ml.cli import main

    # given: the measurement replaced by one that records what it was asked
    asked = {}

    def record(front, **kwargs):
        asked.update(kwargs)
        raise ml.body.CannotMeasure("recorded")

    monkeypatch.setattr(ml.body, "measure_body", record)
    # when: a loose top and fitted trousers are stated
    status = main(_measure_args(people_dir, "--top-fit", "loose", "--bottom-fit", "fitted"))
    # then: the words reach the measurement
    assert status == 2
    assert asked["clothes_fit"] == ClothesFit(top="loose", bottom="fitted")
    assert "recorded" in capsys.readouterr().err


def test_the_cli_refuses_a_word_it_does_not_know_for_the_fit(people_dir, capsys):
    from ml.cli import main

    with pytest.raises(SystemExit):
        main(_measure_args(people_dir, "--top-fit", "tight"))
    assert "invalid choice: 'tight'" in capsys.readouterr().err


def test_a_tape_around_points_is_their_convex_hull_perimeter():
    # given: a 2 x 1 rectangle's corners with points inside, on its edges and repeated
    corners = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]])
    inside = np.array([[1.0, 0.5], [0.5, 0.2], [1.9, 0.9]])
    on_edges = np.array([[1.0, 0.0], [2.0, 0.5], [0.0, 0.5], [1.5, 1.0]])
    points = np.concatenate([inside, corners, on_edges, corners])

    # when
    hull = _hull(points)
    length = convex_perimeter(points)

    # then: the corners alone, anticlockwise, and the rectangle's perimeter
    assert hull.tolist() == [[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]]
    assert length == pytest.approx(6.0, abs=1e-12)


def test_the_tape_matches_qhull_on_random_sections():
    from scipy.spatial import ConvexHull

    rng = np.random.default_rng(3)
    for _ in range(50):
        # given: a random cloud
        points = rng.normal(size=(int(rng.integers(3, 400)), 2)) * rng.uniform(0.05, 0.3)

        # when
        length = convex_perimeter(points)

        # then: qhull's perimeter (its "area" in 2-D)
        assert length == pytest.approx(ConvexHull(np.round(points, 6)).area, rel=1e-9)


def test_the_body_is_the_blend_of_the_starts_by_their_losses(model):
    import torch

    from ml.body.fit import GENDER_STARTS, START_BLEND, fit_body
    from ml.body.model import PHENOTYPES

    # given: a synthetic body seen from the front, which the starts fit about equally well
    body = draw_body(model, np.random.default_rng(3), outfit="bare")

    # when
    fit = fit_body(model, [body.views["front"]], height_cm=body.height_cm)

    # then: three starts (fit-7), weighted by exp(-(loss - best) / (START_BLEND * best))
    losses = np.array([start.loss for start in fit.starts])
    weights = np.array([start.weight for start in fit.starts])
    expected = np.exp(-(losses - losses.min()) / (START_BLEND * losses.min()))
    assert len(fit.starts) == len(GENDER_STARTS) == 3
    assert fit.loss == losses.min()
    assert weights.tolist() == pytest.approx((expected / expected.sum()).tolist(), abs=1e-6)
    assert 0.2 < weights.min() < 0.5  # every start counts

    # and: the rest mesh is the weighted mean of the starts' meshes at the stated height, floor at 0
    meshes = []
    for start in fit.starts:
        phen = torch.tensor([[start.phenotypes[n] for n in PHENOTYPES]])
        local = torch.tensor([[start.local_changes[n] for n in model.local_change_labels]])
        with torch.no_grad():
            rest = model.forward(phen, local, None)["rest_vertices"][0].numpy().astype(np.float64)
        rest *= body.height_cm / 100.0 / np.ptp(rest[:, 2])
        rest[:, 2] -= rest[:, 2].min()
        meshes.append(rest)
    blend = np.tensordot(weights, np.stack(meshes), axes=1)
    blend[:, 2] -= blend[:, 2].min()
    assert np.abs(fit.rest_vertices - blend).max() < 1e-4  # metres
    assert min(np.abs(fit.rest_vertices - mesh).max() for mesh in meshes) > 1e-3  # neither start alone


def test_a_clothed_body_is_fitted_inside_its_clothes_not_up_to_them(model, monkeypatch):
    from ml.body import fit as fit_module

    # given: a body whose silhouette its clothes widen (the parser's allowance says so)
    body = draw_body(model, np.random.default_rng(11), outfit="top and trousers")
    views = [body.views["front"], body.views["side"]]
    girths = ("chest", "waist", "hips")

    # when: it is fitted with the clothes' ease, and without it (the body free up to the outline)
    eased = measure_observations(views, height_cm=body.height_cm, with_uncertainty=False)
    monkeypatch.setattr(fit_module, "EASE_WEIGHT", 0.0)
    free = measure_observations(views, height_cm=body.height_cm, with_uncertainty=False)

    # then: with the ease every girth is smaller, and the three together nearer the truth
    for name in girths:
        assert eased.measurements[name].value_cm < free.measurements[name].value_cm, name
    error = {
        label: sum(abs(result.measurements[n].value_cm - body.truth[n]) for n in girths)
        for label, result in (("eased", eased), ("free", free))
    }
    assert error["eased"] < error["free"], error
