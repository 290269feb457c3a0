from django.urls import path

from sizing import apis

urlpatterns = [
    path("me/measurements/", apis.MeMeasurementsApi.as_view(), name="api-me-measurements"),
]
