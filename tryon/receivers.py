"""File clean-up that must also happen on cascades (a deleted user, photo or product image).

Services delete rows explicitly; these receivers make sure the files follow whichever way the
row went (service, admin, cascade), after the transaction commits.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from accounts.signals import user_erasing
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
