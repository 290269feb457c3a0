"""The committed tune / held-out split: reproducible from its rule, stratified, complete."""

from __future__ import annotations

from collections import Counter

from ml.evaluation import data
from ml.evaluation.split import HELD_OUT_SHARE, Part, assign, read_listing


def test_the_committed_listing_is_what_the_rule_makes_of_its_own_files():
    # given the committed listing
    listing = read_listing()
    # when the rule splits the same files again
    again = assign((e.folder, e.name, e.stratum) for e in listing)
    # then nothing moved: the split was fixed by the rule, not by hand
    assert again == listing


def test_every_stratum_has_both_parts_in_the_fixed_proportion():
    listing = read_listing()
    counts = Counter((e.folder, e.stratum, e.part) for e in listing)
    strata = {(e.folder, e.stratum) for e in listing}
    assert strata == {
        ("people", "-"),
        ("vton/models", "-"),
        ("vton/garments", "top"),
        ("vton/garments", "bottom"),
        ("vton/garments", "dress"),
    }
    for folder, stratum in strata:
        held = counts[(folder, stratum, Part.HELD_OUT)]
        total = held + counts[(folder, stratum, Part.TUNE)]
        assert held >= 1 and total - held >= 1
        assert abs(held - HELD_OUT_SHARE * total) <= 1


def test_the_listing_covers_every_development_photo_on_disk(people_dir):
    # given the development photos beside the checkout (CI has them at the same place)
    root = people_dir.parent
    # then each one is in the listing under its folder, with its kind for packshots
    assert sorted(data.scan(root)) == sorted((e.folder, e.name, e.stratum) for e in read_listing())


def test_pairs_stay_within_one_part_and_never_pair_a_photo_with_itself(people_dir):
    photos = data.photos(people_dir.parent)
    for part in Part:
        pairs = data.pairs(photos, part)
        assert pairs
        assert all(p.shopper.part == part and p.product.part == part for p in pairs)
        assert all(p.shopper.id != p.product.id for p in pairs)
        sources = Counter(p.source for p in pairs)
        assert sources[data.Source.PACKSHOT] > 0 and sources[data.Source.ONMODEL] > 0
