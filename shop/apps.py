from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class ShopConfig(AppConfig):
    """The project package as an app. It has no tables; at start-up it makes the local folders the
    settings name and hands ``ml`` its configuration."""

    name = "shop"
    verbose_name = "Shop"

    def ready(self) -> None:
        from ml.config import MLConfig, configure

        for folder in settings.LOCAL_FOLDERS:
            Path(folder).mkdir(parents=True, exist_ok=True)
        try:
            configure(MLConfig(**settings.ML_CONFIG))
        except (TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"ML_CONFIG: {error}") from error
