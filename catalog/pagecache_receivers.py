"""Every catalogue change drops the cached personalised pages (``shop.pagecache``).

Stock taken by an order is an ``UPDATE`` without signals: the orders app announces it.
"""

from django.db.models.signals import post_delete, post_save

from catalog.models import Category, Product, ProductImage, ProductVariant, SizeChartRow
from shop.pagecache import catalogue_changed


def _catalogue_changed(sender, **kwargs) -> None:
    catalogue_changed()


for _model in (Category, Product, ProductImage, ProductVariant, SizeChartRow):
    post_save.connect(_catalogue_changed, sender=_model, dispatch_uid=f"pagecache.{_model.__name__}.save")
    post_delete.connect(_catalogue_changed, sender=_model, dispatch_uid=f"pagecache.{_model.__name__}.delete")
