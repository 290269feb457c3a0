"""The quality gate in the store: a render below the confidence threshold is held back, the card
shows the product photo with the reason, the progress count and the API say so."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tryon import selectors
from tryon.models import Render, RenderStatus
from tryon.tests.support import client_for, make_product, make_shopper

pytestmark = pytest.mark.django_db

REASON_START = "We couldn't show this one on your photo convincingly"


@pytest.fixture
def gated(run_all, django_capture_on_commit_callbacks, fake_renderer, fake_analyzer):
    """Three products; the renderer's bottom scores under the gate's threshold (0.5)."""
    fake_renderer.confidence = {"bottom": 0.2, "top": 0.9, "dress": 0.7}
    with django_capture_on_commit_callbacks(execute=True):
        top, _ = make_product(1, kind="top")
        bottom, _ = make_product(2, kind="bottom", colour=(30, 30, 160))
        dress, _ = make_product(3, kind="dress", colour=(30, 160, 30))
        owner, _ = make_shopper("owner@example.com")
    run_all()
    return {"owner": owner, "top": top, "bottom": bottom, "dress": dress}


def test_a_render_below_the_threshold_is_held_back_with_its_reason_and_kept(gated):
    # given the rendered catalogue (fixture), then the low-confidence card is held back
    bottom = Render.objects.get(product=gated["bottom"], mode="tryon")
    assert bottom.status == RenderStatus.HELD_BACK
    assert bottom.reason_code == "held_back"
    assert bottom.reason.startswith(REASON_START)
    assert bottom.confidence == 0.2
    assert bottom.quality["leftover_share"] == 0.4
    # and its files are kept for staff (and a later threshold), but the others are plainly done
    assert default_storage.exists(bottom.card.name)
    others = Render.objects.filter(mode="tryon").exclude(pk=bottom.pk)
    assert sorted((r.status, r.confidence) for r in others) == [("done", 0.7), ("done", 0.9)]
    assert all(r.reason == "" for r in others)


def test_the_card_of_a_held_back_render_shows_no_render_and_says_why(gated):
    # when the shopper's card states are read
    states = selectors.card_states(user=gated["owner"], product_ids=[gated["bottom"].pk, gated["top"].pk])
    # then the held-back card has no render URL, only the reason; the other shows its render
    held = states[gated["bottom"].pk]
    assert (held.status, held.card_url, held.image_url) == ("held_back", "", "")
    assert held.reason.startswith(REASON_START)
    shown = states[gated["top"].pk]
    assert shown.status == "done" and shown.card_url.startswith("/media/private/tryon/renders/")


def test_the_progress_counts_held_back_cards_as_product_photos_and_completes(gated):
    # when the progress is read
    progress = selectors.render_progress(user=gated["owner"])
    # then all three are finished, two on the shopper, one shown as a product photo
    assert progress.as_dict() == {
        "done": 2,
        "finished": 3,
        "total": 3,
        "held_back": 1,
        "as_product_photos": 1,
        "pending": 0,
        "complete": True,
        "needs_full_body": 0,
    }
    # and the catalogue bar says so in words
    html = client_for(gated["owner"]).get(reverse("catalog:product_list")).content.decode()
    assert '<strong id="tryon-done">2</strong> of <strong id="tryon-total">3</strong> on you' in html
    assert (
        '<span id="tryon-as-photos">, <strong id="tryon-as-photos-count">1</strong> shown as product '
        '<span id="tryon-as-photos-word">photo</span>' in html
    )
    assert html.count('class="tryon-render"') == 2
    assert 'data-status="held_back"' in html


def test_the_api_carries_the_held_back_state_and_reason(gated):
    # when a REST client lists its cards
    data = client_for(gated["owner"]).get("/api/v1/me/cards/").json()
    # then the held-back card has its state and reason and no render URL
    by_slug = {c["slug"]: c for c in data["results"]}
    held = by_slug["product-2"]
    assert (held["status"], held["render_url"], held["render_full_url"]) == ("held_back", None, None)
    assert held["reason"].startswith(REASON_START)
    assert (data["rendered"], data["shown_as_product_photos"], data["held_back"], data["total"]) == (
        2,
        1,
        1,
        3,
    )
    # and the render itself reports its confidence, with no file URLs
    detail = client_for(gated["owner"]).get(f"/api/v1/me/renders/{held['render_id']}/").json()
    assert (detail["status"], detail["confidence"], detail["card_url"]) == ("held_back", 0.2, None)


def test_with_the_gate_off_nothing_is_held_back(
    settings, run_all, django_capture_on_commit_callbacks, fake_renderer, fake_analyzer
):
    # given the gate switched off and a renderer whose bottom scores low
    settings.TRYON_QUALITY_GATE = False
    fake_renderer.confidence = {"bottom": 0.2}
    with django_capture_on_commit_callbacks(execute=True):
        bottom, _ = make_product(2, kind="bottom")
        make_shopper("owner@example.com")
    # when rendered
    run_all()
    # then the card is shown (its confidence still recorded)
    render = Render.objects.get(product=bottom, mode="tryon")
    assert (render.status, render.confidence) == (RenderStatus.DONE, 0.2)


def test_pose_mode_renders_are_not_gated(gated, run_all, django_capture_on_commit_callbacks):
    # given the low-scoring bottom has an on-model photo and the shopper asks for the model in their pose
    from catalog.services import product_image_create
    from tryon import services
    from tryon.tests.support import jpeg, upload

    with django_capture_on_commit_callbacks(execute=True):
        product_image_create(
            product=gated["bottom"], file=upload(jpeg(colour=(30, 30, 160))), role="on_model"
        )
    run_all()
    with django_capture_on_commit_callbacks(execute=True):
        services.render_request(user=gated["owner"], product_ids=[gated["bottom"].pk], mode="pose")
    run_all()
    # then that render has no confidence and is not held back by the gate
    pose = Render.objects.get(product=gated["bottom"], mode="pose")
    assert pose.confidence is None
    assert pose.status != RenderStatus.HELD_BACK
