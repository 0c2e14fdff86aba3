from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "broadsheet.portability"
    label = "portability"
