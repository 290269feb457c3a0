from django.apps import apps
from django.urls import include, path

urlpatterns = [
    path("", include(f"{app}.api_urls"))
    for app in ("accounts", "catalog", "tryon", "orders", "sizing")
    if apps.is_installed(app)  # try-on and sizing are plug-ins
]
