"""Comparing two renderer versions on the pairs a change moved: the changed pairs cut from two
versions' reviews, and a reviewer's scores read back per pair."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from ml.cli import main
from ml.evaluation.compare import CROP_HEIGHT, changed_pairs, compare_versions, pictures_differ
from ml.evaluation.sheets import GAP, LABEL_HEIGHT


def _review(folder, version: str, pictures: dict[str, tuple[str, str, np.ndarray]]) -> None:
    """A review folder: ``pictures`` maps an id to (pair, part, render)."""
    (folder / "renders").mkdir(parents=True)
    key = []
    for picture, (pair, part, render) in pictures.items():
        Image.fromarray(render).save(folder / "renders" / f"{picture}.jpg", quality=95)
        key.append(
            {"id": picture, "renderer": "warp", "version": version, "outcome": {"pair": pair, "part": part}}
        )
    (folder / "key.json").write_text(json.dumps(key))


def _picture(level: int, patch: int | None = None) -> np.ndarray:
    image = np.full((60, 40, 3), level, np.uint8)
    if patch is not None:
        image[10:30, 10:30] = patch  # 400 px of 2400 moved
    return image


def test_only_pairs_whose_picture_moved_are_kept_once_under_one_id_for_both_versions(tmp_path):
    # given two samples reviewed with a base and a new version: pair "a" the same picture in both,
    # pair "b" with a patch moved by 80 levels, pair "c" off by 3 levels everywhere (JPEG's noise),
    # and pair "b" drawn again in the second sample
    _review(
        tmp_path / "base1",
        "warp-1",
        {"P01": ("a", "tune", _picture(100)), "P02": ("b", "heldout", _picture(100))},
    )
    _review(
        tmp_path / "new1",
        "warp-2",
        {"P07": ("a", "tune", _picture(100)), "P03": ("b", "heldout", _picture(100, 180))},
    )
    _review(
        tmp_path / "base2",
        "warp-1",
        {"P01": ("c", "tune", _picture(120)), "P02": ("b", "heldout", _picture(100))},
    )
    _review(
        tmp_path / "new2",
        "warp-2",
        {"P05": ("c", "tune", _picture(123)), "P09": ("b", "heldout", _picture(100, 180))},
    )
    # when the changed pairs are cut from them
    found = changed_pairs(
        [(tmp_path / "base1", tmp_path / "new1"), (tmp_path / "base2", tmp_path / "new2")],
        tmp_path / "out" / "base",
        tmp_path / "out" / "new",
    )
    # then only "b" is kept, once, as C001 in both folders, each with its own version's render
    assert (dict(found.parts), found.one_sided) == ({"heldout": 1}, [])
    for side, version, patch_level in (("base", "warp-1", 100), ("new", "warp-2", 180)):
        key = json.loads((tmp_path / "out" / side / "key.json").read_text())
        assert [(row["id"], row["outcome"]["pair"], row["version"]) for row in key] == [
            ("C001", "b", version)
        ]
        render = np.asarray(Image.open(tmp_path / "out" / side / "renders" / "C001.jpg"))
        assert abs(int(render[20, 20, 0]) - patch_level) <= 3
        assert sorted(p.name for p in (tmp_path / "out" / side / "renders").iterdir()) == ["C001.jpg"]


def test_a_pair_missing_from_one_review_is_refused(tmp_path):
    # given a base review holding a pair the new review did not draw
    _review(tmp_path / "base", "warp-1", {"P01": ("a", "tune", _picture(100))})
    _review(tmp_path / "new", "warp-2", {"P01": ("z", "tune", _picture(100))})
    # when the changed pairs are cut, then it says the samples differ
    with pytest.raises(ValueError, match=r"a is in only one of .* not the same sample"):
        changed_pairs([(tmp_path / "base", tmp_path / "new")], tmp_path / "b", tmp_path / "n")


def test_a_pair_one_version_refused_is_listed_apart_not_pictured(tmp_path):
    # given a pair the new version refused (its key row has no picture id) and one both pictured alike
    _review(
        tmp_path / "base", "warp-1", {"P01": ("a", "tune", _picture(100)), "P02": ("b", "tune", _picture(90))}
    )
    _review(tmp_path / "new", "warp-2", {"P02": ("b", "tune", _picture(90))})
    key = json.loads((tmp_path / "new" / "key.json").read_text())
    key.append({"id": "", "renderer": "warp", "version": "warp-2", "outcome": {"pair": "a", "part": "tune"}})
    (tmp_path / "new" / "key.json").write_text(json.dumps(key))
    # when the changed pairs are cut
    found = changed_pairs([(tmp_path / "base", tmp_path / "new")], tmp_path / "b", tmp_path / "n")
    # then "a" is listed apart and no folder holds a picture
    assert (dict(found.parts), found.one_sided) == ({}, ["a"])
    assert json.loads((tmp_path / "n" / "key.json").read_text()) == []
    assert list((tmp_path / "b" / "renders").iterdir()) == []


def test_pictures_of_different_sizes_differ_and_noise_does_not():
    assert pictures_differ(_picture(100).astype(np.int16), _picture(100)[:50].astype(np.int16))
    assert not pictures_differ(_picture(100).astype(np.int16), _picture(124).astype(np.int16))
    assert pictures_differ(_picture(100).astype(np.int16), _picture(125).astype(np.int16))


def test_a_finer_measure_finds_a_shade_change_the_default_leaves_out(tmp_path):
    # given two reviews of one pair whose picture moved by 10 levels over a sixth of it (a
    # backdrop's shade), below the default 24 levels
    _review(tmp_path / "base", "warp-1", {"P001": ("a x b", "tune", _picture(100))})
    _review(tmp_path / "new", "warp-2", {"P001": ("a x b", "tune", _picture(100, patch=110))})
    samples = [(tmp_path / "base", tmp_path / "new")]
    # when the changed pairs are found with the default measure and with 8 levels on 0.5 %
    default = changed_pairs(samples, tmp_path / "b", tmp_path / "n")
    finer = changed_pairs(samples, tmp_path / "fb", tmp_path / "fn", levels=8, share=0.005)
    # then only the finer measure keeps the pair
    assert sum(default.parts.values()) == 0
    assert finer.parts == {"tune": 1}
    assert [p.name for p in (tmp_path / "fn" / "renders").iterdir()] == ["C001.jpg"]


def _combined(folder, rows: list[tuple[str, str, str, str]], scores: dict[str, tuple[int, str]]) -> None:
    """A combined review: rows of (id, version, pair, part) and a score table."""
    folder.mkdir(parents=True, exist_ok=True)
    key = [
        {"id": i, "renderer": "warp", "version": v, "outcome": {"pair": p, "part": part}}
        for i, v, p, part in rows
    ]
    (folder / "key.json").write_text(json.dumps(key))
    lines = ["id\tscore\tnote"] + [f"{i}\t{s}\t{n}" for i, (s, n) in scores.items()]
    (folder / "scores.tsv").write_text("\n".join(lines) + "\n")


def test_a_reviewers_scores_are_read_back_per_pair_and_part(tmp_path):
    # given a combined review of warp-1 and warp-2+abc on three pairs, shuffled
    rows = [
        ("Q1", "warp-2+abc", "a", "tune"),
        ("Q2", "warp-1+x", "b", "heldout"),
        ("Q3", "warp-1+x", "a", "tune"),
        ("Q4", "warp-2+abc", "b", "heldout"),
        ("Q5", "warp-2+abc", "c", "heldout"),
        ("Q6", "warp-1+x", "c", "heldout"),
    ]
    scores = {
        "Q1": (3, "hem crisp"),
        "Q3": (2, "hem blurred"),
        "Q2": (2, ""),
        "Q4": (2, ""),
        "Q5": (1, "torn"),
        "Q6": (2, ""),
    }
    _combined(tmp_path, rows, scores)
    # when they are compared for warp-2
    parts = compare_versions(tmp_path, tmp_path / "scores.tsv", "warp-2")
    # then tune has one pair higher (with both notes) and held-out one lower and one equal
    assert [(m.pair, m.before, m.after, m.note_before, m.note_after) for m in parts["tune"].higher] == [
        ("a", 2, 3, "hem blurred", "hem crisp")
    ]
    assert (len(parts["tune"].lower), parts["tune"].equal) == (0, 0)
    assert [(m.pair, m.before, m.after) for m in parts["heldout"].lower] == [("c", 2, 1)]
    assert (len(parts["heldout"].higher), parts["heldout"].equal) == (0, 1)
    assert (parts["heldout"].mean_before, parts["heldout"].mean_after) == (2.0, 1.5)


def test_a_pair_without_both_versions_or_both_scores_is_refused(tmp_path):
    # given a review where pair "a" has only the new version's picture
    _combined(tmp_path / "one", [("Q1", "warp-2", "a", "tune")], {"Q1": (3, "")})
    with pytest.raises(ValueError, match="a lacks a picture of the other version"):
        compare_versions(tmp_path / "one", tmp_path / "one" / "scores.tsv", "warp-2")
    # and one where a picture has no score
    _combined(
        tmp_path / "two", [("Q1", "warp-2", "a", "tune"), ("Q2", "warp-1", "a", "tune")], {"Q1": (3, "")}
    )
    with pytest.raises(ValueError, match="both pictures must be scored"):
        compare_versions(tmp_path / "two", tmp_path / "two" / "scores.tsv", "warp-2")


def test_the_compare_command_prints_each_score_tables_figures(tmp_path, capsys):
    # given a combined review with one pair scored higher for the new version
    _combined(
        tmp_path,
        [("Q1", "warp-2", "a", "tune"), ("Q2", "warp-1", "a", "tune")],
        {"Q1": (4, "ok"), "Q2": (3, "seam")},
    )
    # when the command compares it
    status = main(["review", "compare", str(tmp_path), "--new", "warp-2"])
    # then it prints the part's figures and the moved pair with both notes
    out = capsys.readouterr().out
    assert status == 0
    assert "scores.tsv tune: 1 higher / 0 lower / 0 equal, mean 3.00 -> 4.00" in out
    assert "higher (tune) a: 3 -> 4 | seam || ok" in out


def test_crops_show_base_and_new_round_the_moved_pixels_of_the_chosen_part(tmp_path):
    # given a cut of three changed pairs: a tune pair whose new picture moved a 20 x 20 patch, a
    # held-out pair moved the same way, and a tune pair moved by fewer levels than a change
    base = {
        "C001": ("a", "tune", _picture(100)),
        "C002": ("b", "heldout", _picture(100)),
        "C003": ("c", "tune", _picture(100)),
    }
    new = {
        "C001": ("a", "tune", _picture(100, 180)),
        "C002": ("b", "heldout", _picture(100, 180)),
        "C003": ("c", "tune", _picture(110)),
    }
    _review(tmp_path / "cut" / "base", "warp-1", base)
    _review(tmp_path / "cut" / "new", "warp-2", new)
    # when the tune part's crops are drawn
    assert (
        main(["review", "crops", str(tmp_path / "cut"), "--part", "tune", "-o", str(tmp_path / "crops")]) == 0
    )
    # then one sheet holds the one tune pair that moved: its label line over a crop CROP_HEIGHT tall,
    # in a margin of GAP px
    sheets = sorted((tmp_path / "crops").iterdir())
    assert [path.name for path in sheets] == ["crops_01.png"]
    sheet = np.asarray(Image.open(sheets[0]).convert("RGB")).astype(int)
    assert sheet.shape[0] == GAP + LABEL_HEIGHT + CROP_HEIGHT + GAP
    # and the crop is the moved patch (rows and columns 10-29) and 5 px round it (0.08 of 60 rows),
    # base on the left and new on the right of a white gap: 30 x 30 px each, scaled to CROP_HEIGHT
    side = CROP_HEIGHT  # a square crop, as wide as it is tall
    assert sheet.shape[1] == GAP + side + GAP + side + GAP
    middle = GAP + LABEL_HEIGHT + CROP_HEIGHT // 2
    left, gap, right = GAP + side // 2, GAP + side + GAP // 2, GAP + side + GAP + side // 2
    assert np.abs(sheet[middle, left] - 100).max() <= 4
    assert np.abs(sheet[middle, gap] - 255).max() <= 4
    assert np.abs(sheet[middle, right] - 180).max() <= 4
