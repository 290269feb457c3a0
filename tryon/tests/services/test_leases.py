"""Recovery: leases renewed while working, the sweeper, and uploads accepted with the broker down."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from accounts.models import ReferencePhoto
from accounts.services import reference_photo_delete
from accounts.tests.factories import UserFactory
from ml import pipeline
from ml.render.registry import Renderer, register_renderer
from tryon import services
from tryon import tasks as tryon_tasks
from tryon.models import AnalysisStatus, ReferencePhotoAnalysis, Render, RenderStatus
from tryon.services import leases
from tryon.tests.support import FakeRenderer, jpeg, make_product, make_shopper, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_cards(tasks, create, run_all, fake_renderer, fake_analyzer):
    """A shopper whose photo is analysed and whose 3 cards are queued (no chain ran yet)."""
    for n in range(3):
        create(make_product, n)
    user, photo = create(make_shopper)
    run_all_but_renders(tasks, run_all)
    assert Render.objects.filter(photo=photo, status=RenderStatus.QUEUED).count() == 3
    tasks.clear()
    return user, photo


def run_all_but_renders(tasks, run_all) -> None:
    for _ in range(20):
        analyses = [(n, a) for n, a in tasks.calls if n.startswith("analyse_")]
        if not analyses:
            return
        tasks.calls[:] = [(n, a) for n, a in tasks.calls if not n.startswith("analyse_")]
        for name, args in analyses:
            getattr(tryon_tasks, name)(*args)


def _age(queryset, **fields_seconds_ago) -> None:
    now = timezone.now()
    queryset.update(**{k: now - timedelta(seconds=v) for k, v in fields_seconds_ago.items()})


def test_a_claim_is_a_lease_that_ends_with_the_work(queued_cards, fake_renderer, settings):
    # given
    _, photo = queued_cards
    settings.TRYON_RENDER_BATCH = 2
    claimed_at = timezone.now()

    # when
    count = services.renders_process_pending(photo_id=photo.pk)

    # then
    assert count == 2
    done = Render.objects.filter(photo=photo, status=RenderStatus.DONE)
    assert done.count() == 2
    assert all(r.lease_expires_at is None and r.claim == "" and r.attempts == 1 for r in done)
    assert Render.objects.get(photo=photo, status=RenderStatus.QUEUED).attempts == 0
    assert all(r.started_at >= claimed_at for r in done)


def test_the_sweeper_requeues_an_expired_lease_and_starts_a_chain(queued_cards, tasks):
    # given two renders claimed by a worker that died (lease expired) and one still alive
    _, photo = queued_cards
    dead, alive, _ = list(Render.objects.filter(photo=photo).order_by("id"))
    now = timezone.now()
    Render.objects.filter(pk=dead.pk).update(
        status=RenderStatus.RUNNING, claim="gone", attempts=1, lease_expires_at=now - timedelta(seconds=1)
    )
    Render.objects.filter(pk=alive.pk).update(
        status=RenderStatus.RUNNING, claim="busy", attempts=1, lease_expires_at=now + timedelta(seconds=20)
    )

    # when
    report = leases.sweep()

    # then
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.claim, dead.lease_expires_at) == (RenderStatus.QUEUED, "", None)
    assert (alive.status, alive.claim) == (RenderStatus.RUNNING, "busy")
    assert report.renders_requeued == 1
    assert tasks.names("render_pending") == [(photo.pk,)]
    # a second sweeper right after finds nothing to do
    tasks.clear()
    assert not leases.sweep()
    assert tasks.calls == []


def test_a_render_that_keeps_killing_its_worker_is_set_aside(queued_cards, tasks, settings):
    # given
    settings.TRYON_MAX_ATTEMPTS = 3
    _, photo = queued_cards
    poison = Render.objects.filter(photo=photo).first()
    Render.objects.filter(pk=poison.pk).update(
        status=RenderStatus.RUNNING,
        claim="x",
        attempts=3,
        lease_expires_at=timezone.now() - timedelta(seconds=5),
    )

    # when
    report = leases.sweep()

    # then
    poison.refresh_from_db()
    assert (poison.status, poison.reason_code) == (RenderStatus.FAILED, "worker_lost")
    assert poison.reason == leases.GAVE_UP_REASON
    assert report.renders_given_up == 1


def test_an_abandoned_queue_gets_a_chain_and_a_fresh_one_does_not(queued_cards, tasks, settings):
    # given
    settings.TRYON_QUEUE_IDLE_S = 60
    _, photo = queued_cards

    # when the queue was just filled (its chain is on its way)
    fresh = leases.sweep()
    # and when nothing happened to it for longer than the idle time
    _age(Render.objects.filter(photo=photo), created_at=61)
    stale = leases.sweep()

    # then
    assert fresh.chains_started == 0
    assert stale.chains_started == 1
    assert tasks.names("render_pending") == [(photo.pk,)]


def test_an_analysis_whose_worker_died_is_requeued(tasks, create, fake_renderer, fake_analyzer):
    # given
    _, photo = create(make_shopper)
    analysis = ReferencePhotoAnalysis.objects.get(photo=photo)
    ReferencePhotoAnalysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.RUNNING, attempts=1, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    tasks.clear()

    # when
    report = leases.sweep()

    # then
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.PENDING
    assert analysis.enqueued_at is not None
    assert tasks.names("analyse_reference_photo") == [(photo.pk,)]
    assert report.analyses_requeued == 1


def test_a_pending_analysis_is_resent_only_when_its_message_is_overdue(
    tasks, create, settings, fake_renderer
):
    # given an analysis sent a moment ago and one sent long ago (its message was lost in a crash)
    settings.TRYON_PENDING_REQUEUE_S = 120
    create(make_shopper, "a@example.com")
    _, lost = create(make_shopper, "b@example.com")
    assert ReferencePhotoAnalysis.objects.filter(enqueued_at__isnull=False).count() == 2
    _age(ReferencePhotoAnalysis.objects.filter(photo=lost), enqueued_at=121)
    tasks.clear()

    # when
    leases.sweep()

    # then
    assert tasks.names("analyse_reference_photo") == [(lost.pk,)]


def test_an_upload_with_the_broker_down_is_accepted_and_queued_later(
    monkeypatch, fake_renderer, fake_analyzer, django_capture_on_commit_callbacks
):
    # given a broker that refuses connections
    calls = []

    def broker_down(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tryon_tasks.analyse_reference_photo, "delay", broker_down)
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)

    # when (the request's transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/me/photos/", {"image": upload(jpeg(size=(288, 384))), "kind": "front"})

    # then the upload is stored and shown as being analysed
    assert response.status_code == 201
    photo = ReferencePhoto.objects.get(user=user)
    analysis = ReferencePhotoAnalysis.objects.get(photo=photo)
    assert (analysis.status, analysis.enqueued_at) == (AnalysisStatus.PENDING, None)
    assert services.photo_readiness(photo)[0] == "analysing"

    # when the broker is back and the sweeper passes (after the grace of an upload's own send)
    monkeypatch.setattr(tryon_tasks.analyse_reference_photo, "delay", lambda *args: calls.append(args))
    leases.sweep()
    assert calls == []
    _age(ReferencePhotoAnalysis.objects.filter(pk=analysis.pk), updated_at=11)
    leases.sweep()

    # then the analysis is sent once
    assert calls == [(photo.pk,)]
    analysis.refresh_from_db()
    assert analysis.enqueued_at is not None


def test_an_upload_form_with_the_broker_down_is_accepted(client, monkeypatch, fake_renderer):
    # given
    def broker_down(*args):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tryon_tasks.analyse_reference_photo, "delay", broker_down)
    user = UserFactory()
    client.force_login(user)

    # when
    response = client.post("/accounts/photos/", {"image": upload(jpeg(size=(288, 384))), "kind": "front"})

    # then
    assert response.status_code == 302
    assert ReferencePhoto.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow  # over 3 s of real time: the lease must run out
def test_a_lease_is_renewed_while_the_work_goes_on_and_not_after(settings):
    # given a short lease (renewed every 0.5 s)
    settings.TRYON_LEASE_S = 1.5
    _, photo = make_shopper()
    render = Render.objects.create(
        owner=photo.user,
        photo=photo,
        photo_hash=photo.content_hash,
        renderer="test",
        renderer_version="1",
        cache_key="k" * 64,
        status=RenderStatus.RUNNING,
        claim="token",
        lease_expires_at=timezone.now() + timedelta(seconds=1.5),
    )
    first = render.lease_expires_at

    # when work goes on for longer than the lease
    with leases.lease_renewed(Render, claim="token", status=RenderStatus.RUNNING):
        time.sleep(2.2)
    render.refresh_from_db()
    renewed = render.lease_expires_at
    time.sleep(1.0)
    render.refresh_from_db()

    # then it was renewed while working, and no more after
    assert renewed > first + timedelta(seconds=0.4)
    assert renewed > timezone.now() - timedelta(seconds=1.5)
    assert render.lease_expires_at == renewed


def test_a_second_chain_that_loses_the_race_for_cards_claims_the_next_ones(queued_cards, monkeypatch):
    # given another chain takes the same first cards between our read and our update
    from tryon.services import drain

    _, photo = queued_cards
    real_deadline = drain.lease_deadline
    raced = []

    def other_chain_wins_once():
        if not raced:
            first_two = list(
                Render.objects.filter(photo=photo, status=RenderStatus.QUEUED)
                .order_by("-priority", "id")
                .values_list("id", flat=True)[:2]
            )
            Render.objects.filter(pk__in=first_two).update(status=RenderStatus.RUNNING, claim="other")
            raced.extend(first_two)
        return real_deadline()

    monkeypatch.setattr(drain, "lease_deadline", other_chain_wins_once)

    # when
    token, renders = drain._claim(photo.pk, 2)

    # then we got the remaining card, not nothing
    assert len(raced) == 2
    assert [r.pk for r in renders] == list(
        Render.objects.filter(photo=photo).exclude(pk__in=raced).values_list("id", flat=True)
    )
    assert Render.objects.filter(claim="other").count() == 2
    assert all(r.claim == token for r in renders)


class CardByCardRenderer(FakeRenderer):
    """Renders one card per call (the base ``render_batch``); runs ``during_first`` in the first."""

    name = "test-card-by-card"
    render_batch = Renderer.render_batch
    calls = 0
    during_first = staticmethod(lambda: None)

    def render(self, request):
        type(self).calls += 1
        if type(self).calls == 1:
            type(self).during_first()
        return super().render(request)


register_renderer(CardByCardRenderer)


def test_deleting_the_photo_stops_its_running_batch_after_the_card_in_hand(queued_cards, settings):
    # given a batch of 3 cards claimed by a renderer that renders card by card
    user, photo = queued_cards
    settings.TRYON_RENDERERS = [CardByCardRenderer.name]
    settings.TRYON_RENDER_BATCH = 3
    pipeline.forget_renderer_choices()
    CardByCardRenderer.calls = 0
    # and the shopper deletes the photo while the first card is being made
    CardByCardRenderer.during_first = staticmethod(
        lambda: reference_photo_delete(photo=ReferencePhoto.objects.get(pk=photo.pk))
    )

    # when the worker's chain runs
    made = services.renders_drain(photo_id=photo.pk)

    # then the batch stopped after that card: nothing else was rendered, nothing of it is stored
    assert made == 3  # claimed
    assert CardByCardRenderer.calls == 1
    assert not Render.objects.filter(owner=user).exists()
    renders_dir = Path(settings.MEDIA_ROOT) / "private" / "tryon" / "renders"
    assert [p for p in renders_dir.rglob("*") if p.is_file()] == []


def test_a_card_by_card_renderer_makes_a_whole_batch_when_nothing_is_deleted(queued_cards, settings):
    # given
    _, photo = queued_cards
    settings.TRYON_RENDERERS = [CardByCardRenderer.name]
    settings.TRYON_RENDER_BATCH = 3
    pipeline.forget_renderer_choices()
    CardByCardRenderer.calls = 0
    CardByCardRenderer.during_first = staticmethod(lambda: None)

    # when
    made = services.renders_drain(photo_id=photo.pk)

    # then
    assert made == 3 and CardByCardRenderer.calls == 3
    assert Render.objects.filter(photo=photo, status=RenderStatus.DONE).count() == 3
