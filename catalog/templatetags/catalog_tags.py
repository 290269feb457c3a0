from django import template

register = template.Library()


@register.filter
def measure(row, prefix: str) -> str:
    """'86–90' from a size chart row's ``<prefix>_min``/``<prefix>_max``."""
    low, high = getattr(row, f"{prefix}_min"), getattr(row, f"{prefix}_max")
    if low is None and high is None:
        return "—"
    if low is None:
        return f"≤ {high}"
    if high is None:
        return f"≥ {low}"
    return f"{low}–{high}" if low != high else str(low)


@register.filter
def price(product) -> str:
    symbols = {"EUR": "€", "USD": "$", "GBP": "£"}
    symbol = symbols.get(product.currency)
    amount = f"{product.price:,.2f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {product.currency}"
