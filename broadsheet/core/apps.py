from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "core"

    def ready(self) -> None:
        post_migrate.connect(_analyze_after_migrate, sender=self)


def _analyze_after_migrate(using: str = "default", **kwargs: object) -> None:
    from .planner_stats import refresh_planner_stats

    refresh_planner_stats(using)
