"""Celery tasks of the catalogue: they take ids and call a service."""

from celery import shared_task


@shared_task(name="catalog.tasks.product_image_make_thumbnail", ignore_result=True)
def product_image_make_thumbnail(product_image_id: int) -> None:
    from catalog.models import ProductImage
    from catalog.services import product_image_generate_thumbnail

    product_image = ProductImage.objects.filter(pk=product_image_id).first()
    if product_image is None:  # deleted since it was scheduled
        return
    product_image_generate_thumbnail(product_image=product_image)
