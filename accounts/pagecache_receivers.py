"""A shopper's photos, profile and measurements changing drop their cached pages (``shop.pagecache``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import BodyMeasurements, ReferencePhoto, User
from accounts.signals import body_inputs_changed
from shop.pagecache import shopper_changed


@receiver(post_save, sender=ReferencePhoto, dispatch_uid="pagecache.photo.save")
@receiver(post_delete, sender=ReferencePhoto, dispatch_uid="pagecache.photo.delete")
@receiver(post_save, sender=BodyMeasurements, dispatch_uid="pagecache.measurements.save")
@receiver(post_delete, sender=BodyMeasurements, dispatch_uid="pagecache.measurements.delete")
def _owner_changed(sender, instance, **kwargs) -> None:
    shopper_changed(instance.user_id)


@receiver(post_save, sender=User, dispatch_uid="pagecache.user.save")
def _user_changed(sender, instance, **kwargs) -> None:
    shopper_changed(instance.pk)


@receiver(body_inputs_changed, dispatch_uid="pagecache.body_inputs")
def _body_inputs_changed(sender, user_id: int, **kwargs) -> None:
    shopper_changed(user_id)
