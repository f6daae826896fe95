from django.apps import AppConfig


class HelpcenterConfig(AppConfig):
    name = "tiski.helpcenter"
    label = "helpcenter"
