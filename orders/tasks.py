from celery import shared_task

from orders.models import Order
from orders.services import order_send_confirmation_email


@shared_task(acks_late=True)
def order_send_confirmation(order_id: int) -> None:
    """Send an order's confirmation e-mail; quiet when the order is gone, idempotent otherwise."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return
    order_send_confirmation_email(order=order)
