"""What the try-on does when the catalogue or the accounts change (their events), and the file
clean-up that must also happen on cascades (a deleted user, photo or product image).

Catalog and accounts never import the try-on: they send their domain events
(:mod:`catalog.signals`, :mod:`accounts.signals`) and these receivers, connected in
``TryonConfig.ready``, schedule analyses and renders or clean up. Files follow whichever way a
row went (service, admin, cascade), after the transaction commits.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from accounts.signals import (
    reference_photo_added,
    reference_photo_made_primary,
    reference_photo_removing,
    user_erasing,
)
from catalog.signals import product_image_added, product_image_removing, product_image_replaced
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


@receiver(pre_delete, sender="catalog.ProductImage")
def _delete_renders_of_product_image(sender, instance, **kwargs) -> None:
    # A render without one of its garments would be wrong, not just incomplete.
    Render.objects.filter(garments__product_image=instance).delete()


@receiver(user_erasing)
def _erase_tryon_data_of_user(sender, user, **kwargs) -> None:
    """An account is being deleted: its renders and photo analyses go (files after the commit)."""
    Render.objects.filter(owner=user).delete()
    ReferencePhotoAnalysis.objects.filter(owner=user).delete()


@receiver(product_image_added)
@receiver(product_image_replaced)
def _analyse_product_image(sender, product_image, **kwargs) -> None:
    from tryon.services import product_image_schedule_analysis

    product_image_schedule_analysis(product_image=product_image)


@receiver(product_image_removing)
def _clean_up_product_image(sender, product_image, **kwargs) -> None:
    from tryon.services import product_image_cleanup

    product_image_cleanup(product_image=product_image)


@receiver(reference_photo_added)
def _analyse_reference_photo(sender, photo, **kwargs) -> None:
    from tryon.services import reference_photo_schedule_analysis

    reference_photo_schedule_analysis(photo=photo)


@receiver(reference_photo_made_primary)
def _queue_cards_of_new_main_photo(sender, photo, **kwargs) -> None:
    from tryon.services import reference_photo_primary_changed

    reference_photo_primary_changed(photo=photo)


@receiver(reference_photo_removing)
def _clean_up_reference_photo(sender, photo, **kwargs) -> None:
    from tryon.services import reference_photo_cleanup

    reference_photo_cleanup(photo=photo)
