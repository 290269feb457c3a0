from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("catalog.api_urls")),
    path("", include("tryon.api_urls")),
    path("", include("orders.api_urls")),
    path("", include("sizing.api_urls")),
]
