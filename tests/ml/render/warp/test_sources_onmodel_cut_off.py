"""An on-model product photo that cuts its garment off at the lower edge does not show how long the
garment is: it is refused with that reason, not drawn to the photo's edge (the garment ended in a
hard line at the shopper's hips)."""

from __future__ import annotations

import pytest

from ml.analysis import analyze_file
from ml.errors import CannotRender
from ml.pipeline import analyse_person_photo, choose_renderer
from ml.render import get_renderer
from ml.render.warp.sources import OnModelSource
from ml.types import Finding, GarmentKind, Severity
from tests.support.people import DRESS, make_person


def test_a_dress_running_on_past_the_photos_lower_edge_is_refused_with_the_reason():
    # given an on-model photo whose dress runs on past its lower edge (its hem below the frame)
    analysis = make_person(upper=DRESS, upper_to=3.0)
    assert (analysis.parsing[-1] != 0).sum() > 40
    # when the dress is cut out of it
    with pytest.raises(CannotRender) as refused:
        OnModelSource(analysis, GarmentKind.DRESS)
    # then it is refused, saying why
    assert str(refused.value) == (
        "The product photo cuts the dress off at its lower edge, so its length is unknown: a photo"
        " showing the whole garment can be tried on."
    )


def test_a_dress_ending_above_the_photos_lower_edge_is_cut_out():
    # given an on-model photo whose dress ends at the knees, the legs below it to the photo's edge
    analysis = make_person(upper=DRESS, upper_to=1.0)
    # when the dress is cut out of it
    layer = OnModelSource(analysis, GarmentKind.DRESS).layer
    # then it is cut out (no refusal), down to its hem only
    assert float(layer.alpha[-20:].max()) == 0.0
    assert float(layer.alpha[150:200].max()) > 0.9


def test_pose_mode_draws_a_cut_off_photo_as_it_is():
    # given the same photo cut off below the dress's hem
    analysis = make_person(upper=DRESS, upper_to=3.0)
    # when the whole product model is taken (pose mode: the photo as the product model wears it)
    layer = OnModelSource(analysis, GarmentKind.DRESS, whole_person=True).layer
    # then nothing is refused and the layer reaches the photo's edge
    assert float(layer.alpha[-1].max()) > 0.9


@pytest.mark.slow
@pytest.mark.parametrize("name", ["onmodel_16", "onmodel_05"])
def test_tune_kurtas_photographed_to_the_hips_are_refused(people_dir, name):
    # given a tune product photo of a kurta or tunic that the frame cuts off at the hips or thighs
    analysis = analyze_file(people_dir / f"{name}.jpg")
    # when its top is cut out, then it is refused for its unknown length
    with pytest.raises(CannotRender, match="cuts the top off at its lower edge"):
        OnModelSource(analysis, GarmentKind.TOP)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "kind"), [("onmodel_20", "dress"), ("onmodel_08", "dress"), ("onmodel_18", "top")]
)
def test_tune_products_shown_whole_are_cut_out(people_dir, name, kind):
    # given tune product photos showing the whole garment (down to the hem) above the lower edge
    analysis = analyze_file(people_dir / f"{name}.jpg")
    # when the garment is cut out, then it is, with no refusal
    assert OnModelSource(analysis, GarmentKind(kind)).layer.alpha.max() > 0.9


def test_the_merchant_is_told_when_an_on_model_photo_cuts_the_garment_off():
    # given on-model photos of a dress, one cut off below, one whole
    cut_off = make_person(upper=DRESS, upper_to=3.0)
    whole = make_person(upper=DRESS, upper_to=1.0)
    renderer = get_renderer("warp")
    # when the renderer says what it cannot draw from each (the product image's analysis asks it)
    findings = renderer.product_photo_findings(cut_off, GarmentKind.DRESS)
    # then the cut-off one gets one warning with the reason, the whole one none
    assert findings == [
        Finding(
            "garment_cut_off",
            Severity.WARNING,
            "This photo cuts the dress off at its lower edge, so its length is unknown: shoppers see"
            " the product photo instead of a try-on from it. A photo showing the whole garment can be"
            " tried on.",
        )
    ]
    assert renderer.product_photo_findings(whole, GarmentKind.DRESS) == []


@pytest.mark.slow
def test_an_on_model_product_photos_analysis_carries_the_warning(people_dir):
    # given the tune kurta photographed to the hips, uploaded as a top's on-model photo
    data = (people_dir / "onmodel_16.jpg").read_bytes()
    warp = choose_renderer("warp", instantiate=True)
    # when it is analysed as a product photo, and as a shopper's photo
    as_product = analyse_person_photo(data, renderer=warp, garment_kind="top")
    as_shopper = analyse_person_photo(data, renderer=warp)
    # then only the product photo's findings carry the warning
    assert [f["code"] for f in as_product.findings if f["code"] == "garment_cut_off"] == ["garment_cut_off"]
    assert all(f["code"] != "garment_cut_off" for f in as_shopper.findings)
    assert as_product.findings[:-1] == as_shopper.findings
