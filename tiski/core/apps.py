from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tiski.core"
    label = "core"
    verbose_name = "Tiski core"
