from django.apps import AppConfig


class SizingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sizing"
    verbose_name = "Size advice"

    def ready(self) -> None:
        from sizing import receivers  # noqa: F401  (measures the body when its inputs change)
