from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "broadsheet.sites"
    label = "embedding_sites"
    verbose_name = "Embedding sites"
