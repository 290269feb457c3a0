"""The body is measured again when its photos or the stated height change (accounts' event)."""

from django.conf import settings
from django.dispatch import receiver

from accounts.signals import body_inputs_changed


@receiver(body_inputs_changed)
def _measure_again(sender, user_id: int, **kwargs) -> None:
    if not settings.SIZING_MEASURE_ON_CHANGE:
        return
    from sizing.services import body_measurement_schedule

    body_measurement_schedule(user_id=user_id)
