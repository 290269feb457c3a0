"""Faults with REAL processes: render workers killed mid-catalogue recover in seconds, nothing twice.

Runs on whatever the environment configures (SQLite + filesystem broker by default; PostgreSQL
and Redis with DATABASE_URL / CELERY_BROKER_URL). The workers get a short lease and a fast
sweeper so that the test is quick; the mechanism is the production one (README, "Operations").
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import reference_photo_create, user_create
from tests.e2e.tryon_support import CATALOGUE, make_catalogue, wait_for
from tests.support.media import stored_files
from tryon.models import AnalysisStatus, ProductImageAnalysis, Render, RenderStatus

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RECOVERY = {
    "TRYON_RENDERER": "warp",
    # every card ends "done": the quality gate is off here (it has its own tests)
    "TRYON_QUALITY_GATE": "0",
    "TRYON_RENDER_BATCH": "1",
    "TRYON_LEASE_S": "6",
    "TRYON_SWEEP_INTERVAL_S": "1",
    "TRYON_QUEUE_IDLE_S": "8",
    "CELERY_WORKER_PREFETCH_MULTIPLIER": "1",
}
# Eight products: the four drawn garments twice over (other colours), so a kill lands mid-catalogue.
EIGHT = CATALOGUE + tuple(
    (f"{name} II", kind, style, colour[::-1]) for name, kind, style, colour in CATALOGUE
)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _stored_render_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "private" / "tryon" / "renders"
    return sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in root.rglob("*") if p.is_file())


def _assert_every_card_once_and_no_orphans(user, products, settings) -> None:
    cards = list(Render.objects.filter(owner=user, kind="card", mode="tryon"))
    assert sorted(r.product_id for r in cards) == sorted(p.pk for p in products)  # one card each
    assert {r.status for r in cards} == {RenderStatus.DONE}, {r.pk: (r.status, r.reason) for r in cards}
    referenced = sorted(name for r in Render.objects.all() for name in r.file_names())
    assert _stored_render_files(settings) == referenced  # no orphan file, none missing
    assert len(referenced) == 2 * len(cards)  # each card made once: one image and one card file


@pytest.fixture
def shopper_catalogue(celery_worker_factory, people_dir, settings):
    settings.TRYON_RENDERER = "warp"
    settings.TRYON_RENDER_BATCH = 1
    preprocess = celery_worker_factory(queues=("default", "preprocess"), env=RECOVERY)
    products = make_catalogue(EIGHT)
    wait_for(
        lambda: ProductImageAnalysis.objects.filter(status=AnalysisStatus.DONE).count() == len(products),
        timeout=180,
        what="the product images' analyses",
        worker=preprocess,
    )
    user = user_create(email="faults@example.com", password="a-long-password-1", validate=False)
    data = (people_dir / "onmodel_01.jpg").read_bytes()
    return user, products, data, preprocess


def _upload_and_wait_mid_catalogue(user, data, worker) -> None:
    reference_photo_create(user=user, file=SimpleUploadedFile("me.jpg", data, "image/jpeg"), kind="full_body")
    wait_for(
        lambda: Render.objects.filter(owner=user, status=RenderStatus.DONE).exists()
        and Render.objects.filter(owner=user, status=RenderStatus.RUNNING).exists(),
        timeout=240,
        interval=0.05,
        what="a catalogue half rendered (one card done, one running)",
        worker=worker,
    )


def test_killed_render_children_recover_within_a_minute_of_a_new_worker(
    shopper_catalogue, celery_worker_factory, settings
):
    # given a shopper's catalogue rendering in a prefork worker
    user, products, data, _ = shopper_catalogue
    render = celery_worker_factory(queues=("render",), pool="prefork", concurrency=1, env=RECOVERY)
    _upload_and_wait_mid_catalogue(user, data, render)

    # when the worker's child is killed mid-render (SIGKILL: no clean-up at all)
    children = _children(render.process.pid)
    assert children
    _kill(children)
    replacement = celery_worker_factory(queues=("render",), pool="prefork", concurrency=1, env=RECOVERY)
    restarted = time.monotonic()

    # then every card completes within 60 s of the restart, each made once, no orphan files
    wait_for(
        lambda: Render.objects.filter(owner=user, status=RenderStatus.DONE).count() == len(products),
        timeout=60,
        what="every card after the kill",
        worker=replacement,
    )
    print(f"all cards done {time.monotonic() - restarted:.1f} s after the new worker was ready")
    _assert_every_card_once_and_no_orphans(user, products, settings)


def test_a_whole_worker_killed_with_messages_waiting_recovers_after_a_restart(
    shopper_catalogue, celery_worker_factory, settings
):
    # given a shopper's catalogue rendering in a worker that holds messages
    user, products, data, _ = shopper_catalogue
    render = celery_worker_factory(queues=("render",), pool="prefork", concurrency=1, env=RECOVERY)
    _upload_and_wait_mid_catalogue(user, data, render)

    # when the whole worker dies (main process and child, SIGKILL)
    _kill([render.process.pid, *_children(render.process.pid)])
    render.process.wait(timeout=10)
    replacement = celery_worker_factory(queues=("render",), pool="prefork", concurrency=1, env=RECOVERY)
    restarted = time.monotonic()

    # then, within 60 s of the restart, every card completes, each once, no orphan files
    wait_for(
        lambda: Render.objects.filter(owner=user, status=RenderStatus.DONE).count() == len(products),
        timeout=60,
        what="every card after the restart",
        worker=replacement,
    )
    print(f"all cards done {time.monotonic() - restarted:.1f} s after the new worker was ready")
    _assert_every_card_once_and_no_orphans(user, products, settings)


def test_an_upload_made_while_the_broker_was_unreachable_is_processed_by_the_workers(
    shopper_catalogue, celery_worker_factory, settings, monkeypatch
):
    # given the web process cannot reach the broker (the workers can)
    from kombu.exceptions import OperationalError
    from rest_framework.test import APIClient

    from tryon import tasks as tryon_tasks
    from tryon.models import ReferencePhotoAnalysis

    user, products, data, preprocess = shopper_catalogue
    render = celery_worker_factory(queues=("render",), pool="prefork", concurrency=1, env=RECOVERY)

    def unreachable(*args):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(tryon_tasks.analyse_reference_photo, "delay", unreachable)
    api = APIClient()
    api.force_authenticate(user)

    # when the shopper uploads a photo
    response = api.post(
        "/api/v1/me/photos/", {"image": SimpleUploadedFile("me.jpg", data, "image/jpeg"), "kind": "full_body"}
    )

    # then the upload is accepted, shown as being analysed, and not sent
    assert response.status_code == 201
    analysis = ReferencePhotoAnalysis.objects.get(photo_id=response.json()["id"])
    assert (analysis.status, analysis.enqueued_at) == (AnalysisStatus.PENDING, None)
    # and the workers' sweeper sends it: the photo is analysed and every card made
    wait_for(
        lambda: Render.objects.filter(owner=user, status=RenderStatus.DONE).count() == len(products),
        timeout=150,
        what="every card of the upload made while the broker was unreachable",
        worker=render,
    )
    analysis.refresh_from_db()
    assert analysis.status == AnalysisStatus.DONE and analysis.enqueued_at is not None
    _assert_every_card_once_and_no_orphans(user, products, settings)
    assert preprocess.is_alive()


def test_deleting_the_photo_stops_its_running_batch_within_seconds(
    shopper_catalogue, celery_worker_factory, settings
):
    # given one batch holding the whole catalogue, rendering card by card in a prefork worker
    from accounts.models import ReferencePhoto
    from accounts.services import reference_photo_delete

    user, products, data, _ = shopper_catalogue
    env = {**RECOVERY, "TRYON_RENDER_BATCH": str(len(products))}
    render = celery_worker_factory(queues=("render",), pool="prefork", concurrency=1, env=env)
    _upload_and_wait_mid_catalogue(user, data, render)
    photo = ReferencePhoto.objects.get(user=user)
    assert Render.objects.filter(photo=photo, status=RenderStatus.RUNNING).count() >= 2  # batch under way

    # when the shopper deletes the photo
    photo_id = photo.pk
    reference_photo_delete(photo=photo)
    deleted = time.monotonic()

    # then the worker stops the batch within seconds (after the card in hand), stores nothing of
    # it, and is ready for other work
    stopped = f"render batch of photo {photo_id} stopped"
    wait_for(lambda: stopped in render.log(), timeout=20, what="the batch to stop", worker=render)
    print(f"batch stopped {time.monotonic() - deleted:.1f} s after the photo was deleted")
    time.sleep(2)  # the files of a card finished meanwhile are removed as its row is gone
    assert not Render.objects.filter(owner=user).exists()
    assert _stored_render_files(settings) == []
    assert render.is_alive()


def _redis_server(port: int):
    import shutil
    import subprocess

    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def test_a_redis_restart_mid_catalogue_loses_nothing(
    shopper_catalogue, celery_worker_factory, settings, monkeypatch
):
    # given a render worker on a Redis of its own (no persistence); the web side's sends fail,
    # so everything reaches that Redis through the workers' sweeper
    import socket

    from tryon import tasks as tryon_tasks

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    redis = _redis_server(port)
    env = {**RECOVERY, "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0"}
    try:
        user, products, data, suite_worker = shopper_catalogue
        suite_worker.stop()  # from here on, only workers on this Redis
        preprocess = celery_worker_factory(queues=("default", "preprocess"), env=env)
        render = celery_worker_factory(queues=("render",), pool="prefork", concurrency=1, env=env)

        def unreachable(*args):
            raise OSError("the web side sends nothing in this test")

        for task in (tryon_tasks.analyse_reference_photo, tryon_tasks.render_pending):
            monkeypatch.setattr(task, "delay", unreachable)
        _upload_and_wait_mid_catalogue(user, data, render)

        # when Redis restarts (its queues are gone)
        redis.kill()
        redis.wait(timeout=10)
        redis = _redis_server(port)

        # then every card is still made, once, no orphan files
        wait_for(
            lambda: Render.objects.filter(owner=user, status=RenderStatus.DONE).count() == len(products),
            timeout=120,
            what="every card after the Redis restart",
            worker=render,
        )
        _assert_every_card_once_and_no_orphans(user, products, settings)
        assert preprocess.is_alive() and render.is_alive()
    finally:
        redis.kill()
        redis.wait(timeout=10)


def _web_server(env: dict[str, str], log_path: Path):
    """gunicorn (one sync worker) on a free loopback port, in a session of its own; waits until it answers."""
    import http.client
    import socket
    import subprocess
    import sys

    from tests.support.worker import REPO_ROOT

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "shop.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--timeout", "120", "--log-level", "warning"),
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the test kills master and worker at once
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/categories/")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGKILL)
    raise AssertionError(f"the web server did not start:\n{log_path.read_text()[-3000:]}")


def _multipart(data: bytes, filename: str, kind: str) -> tuple[bytes, str]:
    boundary = "----fault-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_web_process_killed_mid_upload_leaves_no_half_stored_photo(people_dir, settings, tmp_path):
    # given a real web server (gunicorn) on the test database, and a shopper with an API token
    import http.client
    import socket

    from rest_framework.authtoken.models import Token

    from accounts.models import ReferencePhoto
    from tests.support.worker import worker_environment

    user = user_create(email="upload-fault@example.com", password="a-long-password-1", validate=False)
    token = Token.objects.create(user=user).key
    env = worker_environment({"TRYON_SWEEP_IN_WORKER": "0"})
    log_path = tmp_path / "gunicorn.log"
    server, port = _web_server(env, log_path)
    body, content_type = _multipart((people_dir / "onmodel_01.jpg").read_bytes(), "me.jpg", "full_body")
    head = (
        f"POST /api/v1/me/photos/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Token {token}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    try:
        # when the shopper's upload is slowly on its way (headers and part of the photo sent) ...
        with socket.create_connection(("127.0.0.1", port), timeout=10) as upload:
            upload.sendall(head)
            sent = 0
            for _ in range(8):
                upload.sendall(body[sent : sent + 1024])
                sent += 1024
                time.sleep(0.1)
            assert sent < len(body)
            # ... and the web process is killed (master and worker, SIGKILL: no clean-up at all)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)

        # then nothing of the photo is stored: no row, no file
        assert not ReferencePhoto.objects.filter(user=user).exists()
        assert stored_files(settings) == []

        # and after a restart the shopper uploads the photo fine
        server, port = _web_server(env, log_path)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(
            "POST",
            "/api/v1/me/photos/",
            body=body,
            headers={"Authorization": f"Token {token}", "Content-Type": content_type},
        )
        response = connection.getresponse()
        answer = response.read()
        assert response.status == 201, answer[:500]
        photo = ReferencePhoto.objects.get(user=user)
        assert stored_files(settings) == [photo.image.name]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
