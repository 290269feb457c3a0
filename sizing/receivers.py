"""The body is measured again when its photos or the stated height change (accounts' event), and the
"My shape" pictures leave no file behind when their rows go, whichever way (a deleted account or
product cascades to them); a changed "My shape" drops the shopper's cached pages."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.signals import body_inputs_changed
from shop.pagecache import shopper_changed
from sizing.models import BodyShape, ShapeView


@receiver(body_inputs_changed, dispatch_uid="sizing.measure_again")
def _measure_again(sender, user_id: int, **kwargs) -> None:
    if not settings.SIZING_MEASURE_ON_CHANGE:
        return
    from sizing.services import body_measurement_schedule

    body_measurement_schedule(user_id=user_id)


@receiver(post_delete, sender=BodyShape, dispatch_uid="sizing.delete_body_shape_file")
@receiver(post_delete, sender=ShapeView, dispatch_uid="sizing.delete_shape_view_file")
def _delete_picture(sender, instance, **kwargs) -> None:
    if instance.image:
        storage, name = instance.image.storage, instance.image.name
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_save, sender=BodyShape, dispatch_uid="pagecache.body_shape.save")
@receiver(post_delete, sender=BodyShape, dispatch_uid="pagecache.body_shape.delete")
@receiver(post_save, sender=ShapeView, dispatch_uid="pagecache.shape_view.save")
@receiver(post_delete, sender=ShapeView, dispatch_uid="pagecache.shape_view.delete")
def _my_shape_changed(sender, instance, **kwargs) -> None:
    # a product page showing "My shape" (asked for, drawing, drawn) is no longer what it was
    shopper_changed(instance.user_id)
