"""Celery tasks of size advice: ids in, re-fetch, quiet when the row is gone.

``measure_*`` run on the ``preprocess`` queue (see ``CELERY_TASK_ROUTES``): a body fit takes a
few seconds of one CPU core.
"""

from celery import shared_task


@shared_task(name="sizing.tasks.measure_body", ignore_result=True)
def measure_body(user_id: int) -> None:
    from sizing.services import body_measurement_compute

    body_measurement_compute(user_id=user_id)


@shared_task(name="sizing.tasks.draw_shape_view", ignore_result=True)
def draw_shape_view(user_id: int, product_id: int) -> None:
    """One product on the shopper's mannequin ("My shape"): a fraction of a second of one core."""
    from sizing.services import shape_view_draw

    shape_view_draw(user_id=user_id, product_id=product_id)
