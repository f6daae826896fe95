from django.urls import path

from tiski.shop.views import webhook

urlpatterns = [
    path("webhooks/<str:platform>/<slug:slug>/", webhook, name="shop-webhook"),
]
