from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "tiski.chat"
    label = "chat"
