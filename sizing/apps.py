from django.apps import AppConfig


class SizingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sizing"
    verbose_name = "Size advice"

    def ready(self) -> None:
        from shop.hooks import register_api_extra, register_page_context, register_slot
        from shop.pagecache import register_unsettled_check
        from sizing import (
            receivers,  # noqa: F401  (measures the body when its inputs change)
            views,
        )
        from sizing.pagecache import drawing, measuring

        register_unsettled_check(measuring)
        register_unsettled_check(drawing)
        register_page_context("catalogue", views.catalogue_context)
        register_page_context("product", views.product_context)
        register_slot("card_body", "sizing/_slot_card_body.html")
        register_slot("account_nav", "sizing/_account_nav_link.html", order=20)
        register_slot("product_buy", "sizing/_slot_product_buy.html", order=20)
        register_api_extra("product", "size_advice", views.product_api_size_advice)
