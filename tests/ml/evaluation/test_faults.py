"""The faults a review's notes name, counted per part and source with one fixed word list."""

from __future__ import annotations

import json

import pytest

from ml.cli import main
from ml.evaluation.faults import FAULTS, faults_named, tally


@pytest.mark.parametrize(
    ("note", "faults"),
    [
        (
            "Old red kurta sleeves and shoulders remain; product sleeveless top pasted over.",
            ["old garment left", "old sleeves", "flat pasted look"],
        ),
        (
            "Sleeve floats off arm with smeared stripes, cuff detached at hip.",
            ["floating or detached sleeves", "ghost or smear"],
        ),
        (
            "Pants cut flat with white/skin strip between legs, legs look erased.",
            ["flat pasted look", "body part erased or cut"],
        ),
        ("Convincing dress; tiny line artifacts at shoulder zoomed.", []),
        (
            "Jagged neckline, hair sliced, one foot erased.",
            [
                "jagged or ragged edges",
                "body part erased or cut",
                "neckline, collar or straps",
                "hair",
                "feet or shoes",
            ],
        ),
    ],
)
def test_a_note_names_the_faults_whose_words_it_uses(note, faults):
    # given a reviewer's note, when the faults it names are read, then they are these, in FAULTS' order
    assert faults_named(note) == faults


def test_the_fault_list_is_fixed_and_in_order():
    # the counts of two reviews compare only with the same words: the list is the committed one
    assert list(FAULTS)[:3] == ["old garment left", "old sleeves", "floating or detached sleeves"]
    assert len(FAULTS) == 12


def _key(folder, entries):
    folder.mkdir(parents=True, exist_ok=True)
    key = [
        {
            "id": picture,
            "new_side": side,
            "outcome": {"pair": f"pair-{picture}", "part": part, "source": source},
        }
        for picture, part, source, side in entries
    ]
    (folder / "key.json").write_text(json.dumps(key))


def _table(path, column, rows):
    lines = [f"id\t{column}\tnote"] + [f"{picture}\t{value}\t{note}" for picture, value, note in rows]
    path.write_text("\n".join(lines) + "\n")


def _scored_review(folder):
    """Three pictures (two tune packshots, one held-out on-model) scored by two reviewers, A (also
    copied as the plain scores.tsv, as the review folders do) and B; one of A's rows unscored."""
    _key(
        folder,
        [
            ("P001", "tune", "packshot", None),
            ("P002", "tune", "packshot", None),
            ("P003", "heldout", "onmodel", None),
        ],
    )
    rows_a = [("P001", 2, "Old sleeves remain, flat."), ("P002", "", ""), ("P003", 3, "Floating sleeve.")]
    rows_b = [
        ("P001", 2, "Pasted flat cut-out."),
        ("P002", 3, "Ghost of old skirt."),
        ("P003", 2, "Hair cut jaggedly."),
    ]
    _table(folder / "scores_A.tsv", "score", rows_a)
    _table(folder / "scores.tsv", "score", rows_a)
    _table(folder / "scores_B.tsv", "score", rows_b)


def test_a_scored_reviews_notes_are_counted_per_part_and_source(tmp_path):
    # given a scored review by two reviewers (the plain table a copy of the first)
    _scored_review(tmp_path)
    # when its notes are tallied
    groups = tally(tmp_path)
    # then each filled note counts once, per part and source, under every fault it names; the copy
    # and the unscored row count nothing
    tune, heldout = groups[("tune", "packshot", "scored")], groups[("heldout", "onmodel", "scored")]
    assert (tune.notes, heldout.notes) == (3, 2)
    assert dict(tune.named) == {
        "old garment left": 2,
        "old sleeves": 1,
        "flat pasted look": 2,
        "ghost or smear": 1,
    }
    assert dict(heldout.named) == {"floating or detached sleeves": 1, "hair": 1, "jagged or ragged edges": 1}
    assert set(groups) == {("tune", "packshot", "scored"), ("heldout", "onmodel", "scored")}


def test_a_paired_reviews_notes_are_grouped_by_the_version_chosen(tmp_path):
    # given a paired review: the new version on the left of P001 and P003, on the right of P002
    _key(
        tmp_path,
        [
            ("D001", "tune", "packshot", "left"),
            ("D002", "tune", "packshot", "right"),
            ("D003", "tune", "packshot", "left"),
        ],
    )
    rows = [
        ("D001", "left", "Right keeps the old sleeves."),
        ("D002", "left", "Right paints a flat skin blob."),
        ("D003", "same", "Both flat."),
    ]
    _table(tmp_path / "choices_A.tsv", "choice", rows)
    # when its notes are tallied
    groups = tally(tmp_path)
    # then the note choosing the new version and the one choosing the base are counted apart, and
    # a "same" note not at all
    new, base = groups[("tune", "packshot", "new")], groups[("tune", "packshot", "base")]
    assert (new.notes, dict(new.named)) == (1, {"old garment left": 1, "old sleeves": 1})
    assert (base.notes, dict(base.named)) == (1, {"flat pasted look": 1, "painted skin, patch or blob": 1})
    assert set(groups) == {("tune", "packshot", "new"), ("tune", "packshot", "base")}


def test_named_tables_are_read_instead_of_the_default(tmp_path):
    # given the scored review, when only reviewer B's table is tallied
    _scored_review(tmp_path)
    groups = tally(tmp_path, ["scores_B.tsv"])
    # then only B's three notes count
    assert sum(group.notes for group in groups.values()) == 3


def test_a_review_without_tables_is_refused(tmp_path):
    # given a review folder with a key and no score or choice table
    _key(tmp_path, [("P001", "tune", "packshot", None)])
    # when its notes are tallied, then it is refused with the folder named
    with pytest.raises(ValueError, match="no score or choice table"):
        tally(tmp_path)


def test_the_command_prints_each_groups_faults_most_named_first(tmp_path, capsys):
    # given the scored review, when `ml review faults` runs on it
    _scored_review(tmp_path)
    assert main(["review", "faults", str(tmp_path)]) == 0
    # then it prints a table per group, the most named fault first, with its share of the notes
    out = capsys.readouterr().out
    assert "### tune packshot: 3 notes" in out
    tune = out[out.index("### tune packshot") :]
    assert tune.index("| flat pasted look | 2 | 67% |") < tune.index("| ghost or smear | 1 | 33% |")
    assert "### heldout onmodel: 2 notes" in out
