"""Logging configuration shared by Django and gunicorn: plain text or JSON, with request ids.

Importable without Django (gunicorn's master process reads it before any worker loads the
application). Every record gets a `request_id` attribute: the id of the request being
answered in this thread or task, or "-" outside a request.
"""

import contextvars
import logging

# Set by atelier.ops.middleware.RequestLogMiddleware for the duration of a request.
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "atelier_request_id", default="-"
)

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# python-json-logger writes these fields, plus every `extra` a call passes, as one object.
JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s"


class RequestIdFilter(logging.Filter):
    """Give every record the current request's id (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


def logging_config(*, log_format: str, level: str, extra_loggers: dict | None = None) -> dict:
    """A dictConfig for one console handler on stderr, in `log_format` ("plain" or "json")."""
    formatters = {
        "plain": {"format": PLAIN_FORMAT},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FORMAT,
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "process": "pid",
            },
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": extra_loggers or {},
    }
