"""What the try-on does when the catalogue or the accounts change (their events), and the file
clean-up that must also happen on cascades (a deleted user, photo or product image).

Catalog and accounts never import the try-on: they announce their domain events after the commit
(:mod:`catalog.signals`, :mod:`accounts.signals`, through :func:`shop.events.announce`) and these
receivers, connected in ``TryonConfig.ready``, re-fetch the row and schedule analyses and renders.
The try-on's own rows follow deletions through their cascading foreign keys in the deleting
transaction; their files go after the commit, whichever way a row went (service, admin, cascade).
An event lost between the commit and these receivers is made up for by the periodic stale pass
(``tryon.services.analyses_refresh_stale``: it also analyses images and photos that have none).
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from accounts.models import ReferencePhoto
from accounts.signals import reference_photo_added, reference_photo_made_primary
from catalog.models import ProductImage
from catalog.signals import product_image_added, product_image_replaced
from tryon.models import ProductImageAnalysis, ReferencePhotoAnalysis, Render


def delete_files_on_commit(names: list[str]) -> None:
    for name in names:
        if name:
            transaction.on_commit(lambda name=name: default_storage.delete(name))


@receiver(post_delete, sender=Render)
@receiver(post_delete, sender=ProductImageAnalysis)
@receiver(post_delete, sender=ReferencePhotoAnalysis)
def _delete_files(sender, instance, **kwargs) -> None:
    delete_files_on_commit(instance.file_names())


@receiver(pre_delete, sender=ProductImage)
def _delete_renders_of_product_image(sender, instance, **kwargs) -> None:
    # A render without one of its garments would be wrong, not just incomplete.
    Render.objects.filter(garments__product_image=instance).delete()


@receiver(product_image_added, dispatch_uid="tryon.analyse_added_product_image")
@receiver(product_image_replaced, dispatch_uid="tryon.analyse_replaced_product_image")
def _analyse_product_image(sender, product_image_id: int, **kwargs) -> None:
    from tryon.services import product_image_schedule_analysis

    product_image = ProductImage.objects.filter(pk=product_image_id).select_related("product").first()
    if product_image is not None:
        product_image_schedule_analysis(product_image=product_image)


@receiver(reference_photo_added, dispatch_uid="tryon.analyse_added_photo")
def _analyse_reference_photo(sender, photo_id: int, **kwargs) -> None:
    from tryon.services import reference_photo_schedule_analysis

    photo = ReferencePhoto.objects.filter(pk=photo_id).first()
    if photo is not None:
        reference_photo_schedule_analysis(photo=photo)


@receiver(reference_photo_made_primary, dispatch_uid="tryon.queue_cards_of_new_main_photo")
def _queue_cards_of_new_main_photo(sender, photo_id: int, **kwargs) -> None:
    from tryon.services import reference_photo_primary_changed

    photo = ReferencePhoto.objects.filter(pk=photo_id, is_primary=True).select_related("user").first()
    if photo is not None:
        reference_photo_primary_changed(photo=photo)
