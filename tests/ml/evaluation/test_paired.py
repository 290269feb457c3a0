"""A paired blinded review: both versions of each changed pair side by side, sides drawn at random,
and the reviewer's choices read back per part with a sign test."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from PIL import Image

from ml.cli import main
from ml.evaluation.paired import make_paired_review, preferences, sign_test

FIXTURES_SHOPPER = "vton/models/model_1.png"
FIXTURES_PRODUCT = "vton/garments/00126_00.jpg"


def _fixtures(root):
    """Two tiny fixture photos under ``root`` (the sheets read the shopper and product photos)."""
    for name, level in ((FIXTURES_SHOPPER, 90), (FIXTURES_PRODUCT, 200)):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((80, 60, 3), level, np.uint8)).save(path)
    return root


def _cut(folder, version: str, level: int, pairs: list[tuple[str, str]]) -> None:
    """One side of `ml review changed`: ids C001... for ``pairs`` of (pair, part), every render
    flat at ``level``."""
    (folder / "renders").mkdir(parents=True)
    key = []
    for index, (pair, part) in enumerate(pairs, 1):
        picture = f"C{index:03d}"
        Image.fromarray(np.full((64, 48, 3), level, np.uint8)).save(folder / "renders" / f"{picture}.jpg")
        outcome = {"pair": pair, "part": part, "shopper": FIXTURES_SHOPPER, "product": FIXTURES_PRODUCT}
        key.append({"id": picture, "renderer": "warp", "version": version, "outcome": outcome})
    (folder / "key.json").write_text(json.dumps(key))


PAIRS = [(f"pair-{n}", "tune" if n < 6 else "heldout") for n in range(12)]


def test_each_pair_shows_both_versions_on_sides_drawn_at_random(tmp_path):
    # given the two sides of a cut of 12 changed pairs, the base rendered dark and the new light
    _cut(tmp_path / "base", "warp-1", 40, PAIRS)
    _cut(tmp_path / "new", "warp-2", 210, PAIRS)
    # when a paired review is made of them
    key = make_paired_review(
        tmp_path / "base", tmp_path / "new", tmp_path / "out", _fixtures(tmp_path / "fx")
    )
    # then every pair is there once, with the new version on the side the key says
    assert sorted(entry["outcome"]["pair"] for entry in key) == sorted(pair for pair, _ in PAIRS)
    for entry in key:
        for side in ("left", "right"):
            level = np.asarray(Image.open(tmp_path / "out" / "renders" / f"{entry['id']}_{side}.jpg")).mean()
            expected = 210 if side == entry["new_side"] else 40
            assert abs(level - expected) <= 3
            assert entry[side] == ("warp-2" if side == entry["new_side"] else "warp-1")
    # and the new version is not always on one side
    assert {entry["new_side"] for entry in key} == {"left", "right"}
    # and the reviewer gets sheets (three pairs a sheet), instructions and an empty choice table
    assert sorted(p.name for p in (tmp_path / "out" / "sheets").iterdir()) == [
        "sheet_01.png",
        "sheet_02.png",
        "sheet_03.png",
        "sheet_04.png",
    ]
    assert "left`, `right`, or `same`" in (tmp_path / "out" / "instructions.md").read_text()
    with (tmp_path / "out" / "choices.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert [row["id"] for row in rows] == [entry["id"] for entry in key]
    assert {row["choice"] for row in rows} == {""}


def test_two_sides_that_do_not_match_are_refused(tmp_path):
    # given a base side with one pair more than the new side
    _cut(tmp_path / "base", "warp-1", 40, PAIRS[:3])
    _cut(tmp_path / "new", "warp-2", 210, PAIRS[:2])
    # when a paired review is asked for, then it is refused, and nothing is written
    with pytest.raises(ValueError, match="C003 is in only one of"):
        make_paired_review(tmp_path / "base", tmp_path / "new", tmp_path / "out", _fixtures(tmp_path / "fx"))
    assert not (tmp_path / "out").exists()


def _choose(folder, pick) -> None:
    """Fill ``choices.tsv``: ``pick(entry)`` gives 'new', 'base' or 'same' for each key entry."""
    key = json.loads((folder / "key.json").read_text())
    with (folder / "choices.tsv").open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["id", "choice", "note"])
        for entry in key:
            wanted = pick(entry)
            other = "right" if entry["new_side"] == "left" else "left"
            choice = {"new": entry["new_side"], "base": other, "same": "same"}[wanted]
            writer.writerow([entry["id"], choice, f"{wanted} for {entry['outcome']['pair']}"])


def test_choices_are_read_back_as_the_version_chosen_per_part(tmp_path):
    # given a paired review whose reviewer chose the new version on every tune pair, and on the
    # held-out pairs the base version twice, the new one once and neither three times
    _cut(tmp_path / "base", "warp-1", 40, PAIRS)
    _cut(tmp_path / "new", "warp-2", 210, PAIRS)
    make_paired_review(tmp_path / "base", tmp_path / "new", tmp_path / "out", _fixtures(tmp_path / "fx"))
    held_out = {"pair-6": "base", "pair-7": "base", "pair-8": "new"}
    _choose(
        tmp_path / "out",
        lambda e: "new" if e["outcome"]["part"] == "tune" else held_out.get(e["outcome"]["pair"], "same"),
    )
    # when the choices are read back
    parts, pairs = preferences(tmp_path / "out", tmp_path / "out" / "choices.tsv")
    # then the counts are per part and per version, whichever side it was shown on
    assert (parts["tune"].new, parts["tune"].base, parts["tune"].same) == (6, 0, 0)
    assert (parts["heldout"].new, parts["heldout"].base, parts["heldout"].same) == (1, 2, 3)
    # with the sign test's two-sided chance: 6 of 6 is 2/64, 1 against 2 is even
    assert parts["tune"].p_value == pytest.approx(2 / 64)
    assert parts["heldout"].p_value == 1.0
    assert ("heldout", "pair-6", "base", "base for pair-6") in pairs


def test_a_missing_or_unknown_choice_is_refused(tmp_path):
    # given a paired review with one choice left empty
    _cut(tmp_path / "base", "warp-1", 40, PAIRS[:2])
    _cut(tmp_path / "new", "warp-2", 210, PAIRS[:2])
    make_paired_review(tmp_path / "base", tmp_path / "new", tmp_path / "out", _fixtures(tmp_path / "fx"))
    # when it is read, then the empty choice is named
    with pytest.raises(ValueError, match="choice of D001 is '': choices are left, right or same"):
        preferences(tmp_path / "out", tmp_path / "out" / "choices.tsv")
    # and a choice that is not one of the three is refused too
    (tmp_path / "out" / "choices.tsv").write_text("id\tchoice\tnote\nD001\tboth\t\nD002\tsame\t\n")
    with pytest.raises(ValueError, match="choice of D001 is 'both'"):
        preferences(tmp_path / "out", tmp_path / "out" / "choices.tsv")


def test_the_sign_test_is_exact_and_two_sided():
    assert sign_test(0, 0) == 1.0
    assert sign_test(8, 0) == pytest.approx(2 / 256)
    assert sign_test(0, 8) == pytest.approx(2 / 256)
    assert sign_test(5, 5) == 1.0
    assert sign_test(9, 1) == pytest.approx(2 * 11 / 1024)


def test_the_commands_make_the_review_and_print_the_preferences(tmp_path, capsys):
    # given the two sides of a cut
    _cut(tmp_path / "base", "warp-1", 40, PAIRS[:4])
    _cut(tmp_path / "new", "warp-2", 210, PAIRS[:4])
    fixtures = _fixtures(tmp_path / "fx")
    # when the paired review is made and, once chosen, read back by the commands
    out = tmp_path / "out"
    made = main(
        [
            "review",
            "paired",
            str(tmp_path / "base"),
            str(tmp_path / "new"),
            "-o",
            str(out),
            "--fixtures",
            str(fixtures),
        ]
    )
    _choose(out, lambda e: "new")
    read = main(["review", "preference", str(out)])
    # then both succeed and the figures name the part
    text = capsys.readouterr().out
    assert (made, read) == (0, 0)
    assert "4 pairs side by side" in text
    assert "choices.tsv tune: new chosen 4, base chosen 0, same 0 (sign test p = 0.125)" in text
