from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class ShopConfig(AppConfig):
    """The project package as an app: it has no tables; at start-up it hands ``ml`` its configuration."""

    name = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from ml.config import MLConfig, configure

        try:
            configure(MLConfig(**settings.ML_CONFIG))
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"ML_CONFIG: {error}") from error
