from django.urls import path

from sizing import views

app_name = "sizing"

urlpatterns = [
    path("measurements/", views.measurements, name="measurements"),
    path("my-shape/<int:product_id>/", views.my_shape, name="my_shape"),
]
