from django.apps import AppConfig


class SizingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sizing"
    verbose_name = "Size advice"

    def ready(self) -> None:
        from shop.pagecache import register_unsettled_check
        from sizing import receivers  # noqa: F401  (measures the body when its inputs change)
        from sizing.pagecache import measuring

        register_unsettled_check(measuring)
