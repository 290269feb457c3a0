from django import template

from sizing.selectors import size_advice_for_products

register = template.Library()


@register.inclusion_tag("sizing/_size_advice.html", takes_context=True)
def size_advice(context, product, compact=True):
    """The shopper's size for ``product`` (nothing for visitors). Uses ``context["size_advice"]``
    (product id -> advice, filled by the view for a whole page) and falls back to one lookup."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"advice": None}
    advice_map = context.get("size_advice")
    if advice_map is None or product.pk not in advice_map:
        advice_map = size_advice_for_products(user=user, products=[product])
    return {"advice": advice_map.get(product.pk), "compact": compact}


@register.inclusion_tag("sizing/_my_shape.html", takes_context=True)
def my_shape(context, product):
    """ "My shape" of ``product`` for the signed-in shopper (nothing for visitors)."""
    from sizing.views import my_shape_state

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shape": None}
    return {"shape": my_shape_state(user=user, product=product), "csrf_token": context.get("csrf_token")}
