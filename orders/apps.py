from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Cart and orders"

    def ready(self) -> None:
        from orders import pagecache_receivers, receivers  # noqa: F401  (cart merge, cached pages)
