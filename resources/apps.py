from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Partners and resources"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cache's receivers)
