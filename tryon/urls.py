from django.urls import path

from tryon import views

app_name = "tryon"

urlpatterns = [
    path("cards/", views.cards_view, name="cards"),
    path("visit/", views.visit_view, name="visit"),
    path("renders/<id:render_id>/", views.render_detail_view, name="render_detail"),
    path("outfit/", views.outfit_view, name="outfit"),
]
