from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "tiski.conversations"
    label = "conversations"
