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

        # The store's pages and photo rules get the try-on part through their hooks.
        from accounts.selectors import register_photo_checker
        from shop.hooks import register_page_context, register_slot
        from tryon import views
        from tryon.selectors import photos_usability

        register_photo_checker(lambda photos: photos_usability(photos=photos))
        from catalog.admin import register_image_preparation

        register_image_preparation(
            related="tryon_analysis", read=lambda image: getattr(image, "tryon_analysis", None)
        )
        register_page_context("catalogue", views.catalogue_context)
        register_page_context("product", views.product_context)
        register_page_context("photos", views.photos_context)
        register_slot("header_nav", "tryon/_header_nav_link.html")
        register_slot("page_head", "tryon/_assets.html")
        register_slot("catalogue_top", "tryon/_catalogue_bar.html")
        register_slot("card_media", "tryon/_slot_card_media.html")
        register_slot("product_top", "tryon/_product_panel.html")
        register_slot("photo_tile", "tryon/_slot_photo_tile.html")
