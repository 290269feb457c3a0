from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from accounts import exports, pagecache_receivers, receivers  # noqa: F401  (they connect)
        from accounts.selectors import reference_photo_owner_of_path
        from shop.media import register_media_owner

        register_media_owner("private/reference/", reference_photo_owner_of_path)
