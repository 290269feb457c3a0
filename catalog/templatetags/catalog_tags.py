from django import template

from catalog.selectors import variant_preselect

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


def format_money(amount, currency: str) -> str:
    """``€49.00``, ``$5.50``, ``12.00 CHF``."""
    symbols = {"EUR": "€", "USD": "$", "GBP": "£"}
    symbol = symbols.get(currency)
    text = f"{amount:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


@register.filter
def price(item) -> str:
    """A product's or a variant's price with its currency."""
    return format_money(item.price, item.currency)


@register.simple_tag
def money(amount, currency: str) -> str:
    return format_money(amount, currency)


@register.simple_tag
def preselected_variant(variants, recommended_size=None):
    """``{% preselected_variant variants recommended_size as chosen %}``: see ``variant_preselect``."""
    return variant_preselect(variants=variants, recommended_size=recommended_size)
