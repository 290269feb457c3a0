"""Events the catalogue announces; the apps built on it (try-on) subscribe without catalog importing them.

Announced by :mod:`catalog.services` through :func:`shop.events.announce`: after the change commits,
with ids (receivers re-fetch). ``sender`` is :class:`catalog.models.ProductImage`.

- ``product_image_added`` (``product_image_id``, ``product_id``): a product image was stored;
- ``product_image_replaced`` (``product_image_id``, ``product_id``): the image's file was replaced (new
  ``content_hash``);
- ``product_image_removed`` (``product_image_id``, ``product_id``): the image was deleted. Rows of the
  apps above that point at it went with it in the same transaction (their foreign keys cascade); the
  event is for follow-up work.
"""

from django.dispatch import Signal

product_image_added = Signal()
product_image_replaced = Signal()
product_image_removed = Signal()
