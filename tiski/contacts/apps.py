from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "tiski.contacts"
    label = "contacts"
