from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "tiski.returns"
    label = "returns"
