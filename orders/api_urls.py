from django.urls import path

from orders import apis

urlpatterns = [
    path("me/cart/", apis.CartApi.as_view(), name="api-me-cart"),
    path("me/cart/items/", apis.CartItemListApi.as_view(), name="api-me-cart-items"),
    path("me/cart/items/<int:variant_id>/", apis.CartItemDetailApi.as_view(), name="api-me-cart-item"),
    path("me/orders/", apis.OrderListApi.as_view(), name="api-me-orders"),
    path("me/orders/<str:number>/", apis.OrderDetailApi.as_view(), name="api-me-order-detail"),
    path("me/orders/<str:number>/cancel/", apis.OrderCancelApi.as_view(), name="api-me-order-cancel"),
]
