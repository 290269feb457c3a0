from django.apps import AppConfig


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"

    def ready(self) -> None:
        from catalog import pagecache_receivers  # noqa: F401  (catalogue changes drop cached pages)
        from shop.media import PUBLIC, register_media_owner

        register_media_owner("catalog/", lambda path: PUBLIC)
