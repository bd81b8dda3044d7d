from django.apps import AppConfig


class DumpConfig(AppConfig):
    """Community dumps: import, export and the demo community, with their commands."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "atelier.dump"
    label = "dump"
