from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "tiski.mail"
    label = "mail"
