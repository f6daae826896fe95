from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "tiski.agents"
    label = "agents"
