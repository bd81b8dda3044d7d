"""The Celery application: Atelier's background tasks (docs/production.md: Background tasks).

Configured from Django's settings (the CELERY_* names in config/settings.py); tasks are the
`tasks.py` modules of the apps. `atelier worker` runs the workers, `atelier scheduler` the
schedule. Without TASKS_BROKER_URL every task runs inline where it is queued.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("atelier")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
