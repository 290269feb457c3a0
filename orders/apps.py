from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Cart and orders"

    def ready(self) -> None:
        from orders import pagecache_receivers, receivers  # noqa: F401  (cart merge, cached pages)
        from shop.hooks import register_slot

        register_slot("product_buy", "orders/_add_to_cart.html", order=10)  # the size picker
        register_slot("account_nav", "orders/_account_nav_link.html", order=10)
