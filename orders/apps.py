from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Cart and orders"

    def ready(self) -> None:
        from orders import receivers  # noqa: F401  (connects the sign-in cart merge)
