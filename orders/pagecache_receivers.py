"""The cart and orders change what a shopper's pages show (``shop.pagecache``).

The header counts the cart; an order takes or returns stock with a conditional ``UPDATE`` (no
signal of the variants), so an order's save also counts as a catalogue change.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from orders.models import CartItem, Order
from shop.pagecache import catalogue_changed, shopper_changed


@receiver(post_save, sender=CartItem, dispatch_uid="pagecache.cart.save")
@receiver(post_delete, sender=CartItem, dispatch_uid="pagecache.cart.delete")
def _cart_changed(sender, instance: CartItem, **kwargs) -> None:
    shopper_changed(instance.user_id)


@receiver(post_save, sender=Order, dispatch_uid="pagecache.order.save")
def _order_changed(sender, instance: Order, **kwargs) -> None:
    catalogue_changed()
    shopper_changed(instance.user_id)
