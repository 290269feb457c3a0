from django.conf import settings


def shop(request):
    return {"SHOP_NAME": "Atelier", "SHOP_CURRENCY": settings.SHOP_CURRENCY}
