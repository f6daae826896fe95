from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "tiski.shop"
    label = "shop"
