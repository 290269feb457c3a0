from orders.selectors import cart_count


def cart(request):
    """``CART_COUNT`` for the header."""
    return {
        "CART_COUNT": cart_count(
            user=getattr(request, "user", None), session=getattr(request, "session", None)
        )
    }
