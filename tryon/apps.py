from django.apps import AppConfig


class TryonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tryon"
    verbose_name = "Virtual try-on"

    def ready(self) -> None:
        from shop.media import register_media_owner
        from tryon import receivers  # noqa: F401  (connects the file clean-up)
        from tryon.selectors import tryon_file_owner

        register_media_owner("private/tryon/", tryon_file_owner)

        from shop.pagecache import register_unsettled_check
        from tryon.pagecache import work_in_progress

        register_unsettled_check(work_in_progress)

        from accounts.exports import register_user_exporter
        from tryon.exports import export_tryon_data

        register_user_exporter("tryon", export_tryon_data)
