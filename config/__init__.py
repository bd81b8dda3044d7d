"""Project configuration: settings, URL routes, WSGI/ASGI entry points, the task engine."""

# Loaded with Django, so that @shared_task binds to Atelier's app in every process.
from config.celery import app as celery_app

__all__ = ["celery_app"]
