from django.apps import apps
from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shop.guards import DbIdConverter
from shop.media import protected_media

# ``<id:name>``: ids that fit a 64-bit key (bigger ones are a 404, not a database overflow).
register_converter(DbIdConverter, "id")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("shop.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("media/<path:path>", protected_media, name="media"),
    path("accounts/", include("accounts.urls")),
]
# The apps above the store's core are plug-ins: their pages exist when they are installed.
if apps.is_installed("sizing"):
    urlpatterns.append(path("accounts/", include("sizing.urls")))
if apps.is_installed("tryon"):
    urlpatterns.append(path("tryon/", include("tryon.urls")))
urlpatterns += [
    path("", include("orders.urls")),
    path("", include("catalog.urls")),
]
