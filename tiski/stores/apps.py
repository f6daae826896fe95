from django.apps import AppConfig


class StoresConfig(AppConfig):
    name = "tiski.stores"
    label = "stores"
