"""Size advice's part in the per-shopper page cache (``shop.pagecache``): while the body is being
measured or a "My shape" view drawn, the shopper's pages will change by themselves, so they are
not stored."""

from accounts.models import BodyMeasurements


def measuring(user) -> bool:
    return BodyMeasurements.objects.filter(user_id=user.pk, status=BodyMeasurements.Status.PENDING).exists()


def drawing(user) -> bool:
    """A "My shape" view is being drawn: the product page's panel will change by itself."""
    from sizing.models import ShapeView

    return ShapeView.objects.filter(user_id=user.pk, status=ShapeView.Status.QUEUED).exists()
