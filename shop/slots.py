"""``{% load slots %}{% slot "name" %}``: the templates other apps registered for a slot
(:func:`shop.hooks.register_slot`), rendered in place with the surrounding context."""

from django import template
from django.utils.safestring import mark_safe

from shop.hooks import slot_templates

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str) -> str:
    parts = []
    for template_name in slot_templates(name):
        compiled = context.template.engine.get_template(template_name)
        with context.push():
            parts.append(compiled.render(context))
    return mark_safe("".join(parts))
