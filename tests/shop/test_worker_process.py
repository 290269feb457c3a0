import pytest
from django.core.files.storage import default_storage

from catalog.models import ProductImage
from catalog.services import product_image_create
from catalog.tests.factories import ProductFactory
from tests.support.images import image_upload
from tests.support.worker import wait_for


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_makes_the_thumbnail(celery_worker, settings):
    # given: a real `celery -A shop worker -Q default` process on the configured broker
    product = ProductFactory()

    # when: the service commits and enqueues the task
    product_image = product_image_create(
        product=product, file=image_upload("big.png", 900, 1200), role="on_model"
    )
    assert ProductImage.objects.get(pk=product_image.pk).thumbnail.name in (None, "")

    # then: the worker writes the thumbnail into the test database and the test's media folder
    done = wait_for(
        lambda: ProductImage.objects.filter(pk=product_image.pk)
        .exclude(thumbnail="")
        .exclude(thumbnail=None)
        .first(),
        timeout=90,
        worker=celery_worker,
    )
    assert done.thumbnail.name.startswith(f"catalog/{product.pk}/thumbs/")
    assert default_storage.exists(done.thumbnail.name)
    assert (settings.MEDIA_ROOT / done.thumbnail.name).is_file()
    assert "catalog.tasks.product_image_make_thumbnail" in celery_worker.log()
    assert "succeeded" in celery_worker.log()


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_prefork_worker_child_runs_the_task_and_keeps_celery_logging(celery_worker_factory, settings):
    # given: a prefork worker (tasks run in a forked child that loads the try-on models at start)
    worker = celery_worker_factory(queues=("default",), pool="prefork", concurrency=1)
    product = ProductFactory()

    # when: a task reaches it
    product_image = product_image_create(
        product=product, file=image_upload("big.png", 900, 1200), role="on_model"
    )

    # then: the child makes the thumbnail and Celery's own log lines from the child are still there
    wait_for(
        lambda: ProductImage.objects.filter(pk=product_image.pk).exclude(thumbnail="").first(),
        timeout=120,
        worker=worker,
    )
    wait_for(lambda: "succeeded" in worker.log(), timeout=10, worker=worker)
    log = worker.log()
    assert "Task catalog.tasks.product_image_make_thumbnail[" in log
    assert "received" in log.lower()
