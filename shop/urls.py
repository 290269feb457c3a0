from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from shop.media import protected_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("shop.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("media/<path:path>", protected_media, name="media"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("sizing.urls")),
    path("tryon/", include("tryon.urls")),
    path("", include("catalog.urls")),
]
