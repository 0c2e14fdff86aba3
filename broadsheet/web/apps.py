from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "broadsheet.web"
    label = "web"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from .cors import allow_embedding_sites

        check_request_enabled.connect(allow_embedding_sites, dispatch_uid="broadsheet-cors")
