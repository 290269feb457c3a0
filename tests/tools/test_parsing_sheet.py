"""The parsing review's tally: each class's share of photos marked right."""

from __future__ import annotations

import pytest

from tools.parsing_sheet import main, tally


def test_tally_counts_ok_marks_per_class_and_skips_unmarked_rows():
    rows = [
        {"number": "1", "upper_clothes": "ok", "lower_clothes": "wrong", "arms": "ok", "legs": "ok"},
        {"number": "2", "upper_clothes": "OK ", "lower_clothes": "ok", "arms": "wrong", "legs": ""},
        {"number": "3", "upper_clothes": "", "lower_clothes": "", "arms": "", "legs": ""},
    ]
    assert tally(rows) == {
        "upper_clothes": (2, 2),
        "lower_clothes": (1, 2),
        "arms": (1, 2),
        "legs": (1, 1),
    }


def test_tally_refuses_an_unknown_mark():
    with pytest.raises(ValueError, match="unknown mark\\(s\\) for arms: maybe"):
        tally([{"upper_clothes": "ok", "lower_clothes": "ok", "arms": "maybe", "legs": "ok"}])


def test_the_command_prints_each_share(tmp_path, capsys):
    marks = tmp_path / "marks.tsv"
    marks.write_text(
        "number\tupper_clothes\tlower_clothes\tarms\tlegs\n1\tok\tok\twrong\tok\n2\tok\twrong\twrong\tok\n"
    )
    assert main(["--tally", str(marks)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "upper_clothes   100% right (2 of 2 photos)",
        "lower_clothes    50% right (1 of 2 photos)",
        "arms              0% right (0 of 2 photos)",
        "legs            100% right (2 of 2 photos)",
    ]
