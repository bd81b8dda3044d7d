"""Every API view throttles with the hardened classes, never with DRF's plain ones.

DRF's own classes count in the default cache only, so while Redis is down they let every
request through (issue 17, defect 4: 20 of 20 uploads accepted at 5/hour). This walks the
URLconf, so a view added later with a plain class fails here.
"""

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from atelier.core.throttling import HardenedThrottle


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)  # DRF's APIView.as_view()
            if view is not None:
                yield prefix + str(pattern.pattern), view


def test_the_default_throttles_are_hardened():
    classes = [import_string(path) for path in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]]

    assert classes and all(issubclass(cls, HardenedThrottle) for cls in classes)


def test_every_api_view_throttles_with_the_hardened_classes():
    views = list(_views(get_resolver().url_patterns))
    plain = {
        f"{route} ({view.__module__}.{view.__name__}): {cls.__name__}"
        for route, view in views
        for cls in view.throttle_classes
        if not issubclass(cls, HardenedThrottle)
    }

    assert len(views) > 30  # the walk reached the API
    assert not plain, "\n".join(sorted(plain))
