from django.urls import path

from tiski.shop.selfservice_views import order_status_page
from tiski.shop.views import webhook

urlpatterns = [
    path("webhooks/<str:platform>/<slug:slug>/", webhook, name="shop-webhook"),
    path("orders/<slug:slug>/status/", order_status_page, name="shop-order-status"),
]
