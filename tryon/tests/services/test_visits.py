"""A catalogue visit re-checks the whole catalogue only when it changed; otherwise it only moves
the page's queued cards ahead."""

from __future__ import annotations

import pytest

from tryon import services
from tryon.models import Render, RenderStatus
from tryon.services.visits import shopper_visit
from tryon.tests.support import make_product, make_shopper

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered_shopper(tasks, create, run_all, fake_renderer, fake_analyzer):
    for n in range(3):
        create(make_product, n)
    user, photo = create(make_shopper)
    run_all()
    assert Render.objects.filter(photo=photo, status=RenderStatus.DONE).count() == 3
    return user, photo


def test_a_visit_to_an_unchanged_catalogue_skips_the_full_check(rendered_shopper, monkeypatch, tasks):
    # given
    user, photo = rendered_shopper
    calls = []
    real = services.renders.renders_ensure_for_shopper
    monkeypatch.setattr(
        "tryon.services.visits.renders_ensure_for_shopper", lambda **kw: calls.append(kw) or real(**kw)
    )
    ids = list(Render.objects.filter(photo=photo).values_list("product_id", flat=True))

    # when
    first = shopper_visit(user=user, photo_id=photo.pk, page_product_ids=ids)
    second = shopper_visit(user=user, photo_id=photo.pk, page_product_ids=ids)

    # then
    assert (first, second) == (True, False)
    assert len(calls) == 1


def test_a_product_added_since_is_queued_at_the_next_visit(rendered_shopper, create, tasks):
    # given
    user, photo = rendered_shopper
    shopper_visit(user=user, photo_id=photo.pk, page_product_ids=[])
    later, _ = create(make_product, 9)

    # when
    checked = create(shopper_visit, user=user, photo_id=photo.pk, page_product_ids=[later.pk])

    # then
    assert checked is True
    assert Render.objects.get(photo=photo, product=later).status == RenderStatus.QUEUED


def test_a_visit_moves_the_pages_queued_cards_ahead_without_the_full_check(rendered_shopper, tasks):
    # given two queued cards with an old priority, the catalogue check done a moment ago
    user, photo = rendered_shopper
    shopper_visit(user=user, photo_id=photo.pk, page_product_ids=[])
    first, second, _ = list(Render.objects.filter(photo=photo).order_by("id"))
    Render.objects.filter(pk__in=[first.pk, second.pk]).update(status=RenderStatus.QUEUED, priority=5)

    # when the shopper looks at a page with the second one
    checked = shopper_visit(user=user, photo_id=photo.pk, page_product_ids=[second.product_id])

    # then
    assert checked is False
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.priority == 5
    assert second.priority > 1_700_000_000
