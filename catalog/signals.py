"""Events the catalogue sends; the apps built on it (try-on) subscribe without catalog importing them.

Sent by :mod:`catalog.services` inside their transaction, once the change is saved (a receiver's
writes commit or roll back with it; work a receiver starts is sent with ``transaction.on_commit``).
``sender`` is :class:`catalog.models.ProductImage`.

- ``product_image_added`` (``product_image``): a product image was stored;
- ``product_image_replaced`` (``product_image``): the image's file was replaced (new ``content_hash``);
- ``product_image_removing`` (``product_image``): the image is about to be deleted (its row still exists).
"""

from django.dispatch import Signal

product_image_added = Signal()
product_image_replaced = Signal()
product_image_removing = Signal()
