from django.urls import path

from tryon import apis

urlpatterns = [
    path("me/cards/", apis.MeCardsApi.as_view(), name="api-me-cards"),
    path("me/visits/", apis.MeVisitApi.as_view(), name="api-me-visits"),
    path("me/renders/", apis.MeRenderCreateApi.as_view(), name="api-me-renders"),
    path("me/renders/<id:render_id>/", apis.MeRenderDetailApi.as_view(), name="api-me-render-detail"),
]
