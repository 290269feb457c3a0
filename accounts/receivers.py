"""What must follow a user's or a photo's row whichever way it changes (service, admin, cascade)."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from accounts.models import ReferencePhoto, User


@receiver(post_delete, sender=ReferencePhoto)
def _delete_photo_file(sender, instance: ReferencePhoto, **kwargs) -> None:
    # Also on cascades (a user deleted in the admin): the original photo never stays on disk.
    name = instance.image.name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@receiver(pre_save, sender=User)
def _revoke_token_on_password_change(sender, instance: User, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()
