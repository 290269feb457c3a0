"""Size picking against a chart, at and around its boundaries (pure, no database)."""

import pytest

from sizing.advice import ChartRow, advise_size

TOPS = [
    ChartRow("S", {"chest": (84, 89), "waist": (70, 75)}),
    ChartRow("M", {"chest": (90, 96), "waist": (76, 82)}),
    ChartRow("L", {"chest": (97, 104), "waist": (83, 90)}),
]


@pytest.mark.parametrize(
    ("chest", "waist", "size"),
    [
        (84.0, 70.0, "S"),  # the smallest size's lower bounds are inside
        (89.0, 75.0, "S"),  # upper bounds are inside
        (90.0, 76.0, "M"),  # the next size's lower bounds
        (96.0, 82.0, "M"),
        (97.0, 83.0, "L"),
        (104.0, 90.0, "L"),
    ],
)
def test_a_figure_on_a_boundary_picks_the_size_whose_range_holds_it(chest, waist, size):
    # when
    advice = advise_size({"chest": chest, "waist": waist}, "top", TOPS)

    # then
    assert advice.status == "recommended"
    assert advice.size == size
    assert advice.other_size is None


def test_a_figure_in_the_gap_between_two_sizes_gets_the_larger_with_the_smaller_named():
    # given: 96.5 is above M (max 96) and below L (min 97)
    measurements = {"chest": 96.5, "waist": 80.0}

    # when
    advice = advise_size(measurements, "top", TOPS)

    # then
    assert advice.status == "between"
    assert advice.size == "L"
    assert advice.other_size == "M"
    assert advice.note == "Between M and L: L for a looser fit, M snug at the chest."
    assert advice.details == {"chest": "loose", "waist": "loose"}


def test_mixed_measures_take_the_size_that_is_nowhere_tight():
    # given: chest fits M, waist needs L
    advice = advise_size({"chest": 92.0, "waist": 85.0}, "top", TOPS)

    # then
    assert advice.status == "between"
    assert advice.size == "L"
    assert advice.other_size == "M"
    assert advice.note == "Between M and L: L for a looser fit, M snug at the waist."
    assert advice.details == {"chest": "loose"}


def test_the_top_tenth_of_a_range_reads_as_snug():
    # given: M chest 90-96: 95.4 is in its top tenth (>= 95.4); waist mid-range
    advice = advise_size({"chest": 95.4, "waist": 79.0}, "top", TOPS)

    # then
    assert advice.size == "M"
    assert advice.details == {"chest": "snug"}
    assert advice.note == "M fits you: snug at the chest."


def test_just_below_the_snug_band_is_a_plain_fit():
    advice = advise_size({"chest": 95.3, "waist": 79.0}, "top", TOPS)

    assert advice.size == "M"
    assert advice.details == {}
    assert advice.note == "M fits you."


def test_larger_than_the_largest_size_recommends_none():
    advice = advise_size({"chest": 104.1, "waist": 80.0}, "top", TOPS)

    assert advice.status == "out_of_range"
    assert advice.size is None
    assert advice.other_size == "L"
    assert advice.note == "Even the largest size (L) is small for you at the chest."


def test_smaller_than_the_smallest_size_recommends_it_with_a_warning():
    advice = advise_size({"chest": 80.0, "waist": 72.0}, "top", TOPS)

    assert advice.status == "recommended"
    assert advice.size == "S"
    assert advice.note == "S, the smallest size, may be loose at the chest."


def test_only_the_measures_of_the_garment_kind_count():
    # given: trousers care about waist, hips and inseam, not the chest
    chart = [
        ChartRow("30", {"chest": (80, 90), "waist": (74, 78), "hips": (90, 96), "inseam": (76, 80)}),
        ChartRow("32", {"chest": (80, 90), "waist": (79, 83), "hips": (97, 102), "inseam": (76, 80)}),
    ]
    measurements = {"chest": 120.0, "waist": 80.0, "hips": 99.0, "inseam": 78.0}

    # when
    bottom = advise_size(measurements, "bottom", chart)
    top = advise_size(measurements, "top", chart)

    # then
    assert bottom.size == "32"
    assert bottom.status == "recommended"
    assert top.status == "out_of_range"


def test_no_chart_says_so_instead_of_guessing():
    advice = advise_size({"chest": 90.0}, "top", [])

    assert advice.status == "no_chart"
    assert advice.size is None
    assert advice.note == "No size chart for this product: we cannot advise a size."


def test_a_chart_without_the_kinds_measures_counts_as_no_chart():
    chart = [ChartRow("M", {"inseam": (76, 80)})]

    advice = advise_size({"chest": 90.0, "inseam": 78.0}, "top", chart)

    assert advice.status == "no_chart"


def test_missing_measurements_ask_for_them():
    advice = advise_size({}, "top", TOPS)

    assert advice.status == "no_measurements"
    assert advice.size is None
