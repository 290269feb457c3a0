from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart_view, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/items/<int:variant_id>/", views.cart_update, name="cart_update"),
    path("cart/items/<int:variant_id>/remove/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_list_view, name="order_list"),
    path("orders/<str:number>/", views.order_detail_view, name="order_detail"),
    path("orders/<str:number>/cancel/", views.order_cancel_view, name="order_cancel"),
]
