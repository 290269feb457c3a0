"""Size advice's part in the per-shopper page cache (``shop.pagecache``): while the body is being
measured, the advice on the shopper's pages will change by itself, so they are not stored."""

from accounts.models import BodyMeasurements


def measuring(user) -> bool:
    return BodyMeasurements.objects.filter(user_id=user.pk, status=BodyMeasurements.Status.PENDING).exists()
