from django.apps import AppConfig


class ClassifiersConfig(AppConfig):
    name = "broadsheet.classifiers"
    label = "classifiers"
