from django import template

from tryon.selectors import photo_analyses_for

register = template.Library()

# Below this shorter side (pixels) a usable photo gets a warning: renders are shown larger than that.
SHARP_PHOTO_SIDE = 512
SEVERITY_LABEL = {"error": "Cannot be used", "warning": "Good to know", "info": "Note"}


@register.inclusion_tag("tryon/_card_overlay.html", takes_context=True)
def tryon_card_overlay(context, product):
    """The try-on layer of one catalogue card (empty for visitors without a photo)."""
    tryon = context.get("tryon") or {}
    cards = tryon.get("cards") or {}
    return {"card": cards.get(product.pk), "product": product}


@register.inclusion_tag("tryon/_photo_findings.html")
def tryon_photo_findings(photo, analyses=None):
    """The findings of a reference photo's analysis, in plain words."""
    if analyses is None:
        analyses = photo_analyses_for(photos=[photo])
    analysis = analyses.get(photo.pk)
    findings = []
    if analysis is not None:
        findings = [
            {**f, "label": SEVERITY_LABEL.get(f.get("severity"), "")}
            for f in analysis.findings
            if f.get("severity") in ("error", "warning", "info")
        ]
        if analysis.status == "done" and 0 < min(photo.width, photo.height) < SHARP_PHOTO_SIDE:
            findings.append(
                {
                    "code": "photo_small",
                    "severity": "warning",
                    "label": SEVERITY_LABEL["warning"],
                    "message": f"This photo is small ({photo.width}×{photo.height} pixels): the pictures "
                    f"made from it look soft when shown large. A photo at least {SHARP_PHOTO_SIDE} pixels "
                    "wide works better.",
                }
            )
    return {"analysis": analysis, "findings": findings}


@register.simple_tag
def tryon_photo_analyses(photos):
    """{% tryon_photo_analyses photos as analyses %}: one query for a list of photos."""
    return photo_analyses_for(photos=list(photos))
