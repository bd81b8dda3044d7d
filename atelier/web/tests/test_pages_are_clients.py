"""The pages are a second client of the API's selectors and services: web/views.py runs no
query of its own (no model, no manager, no Q) so its rules cannot drift from the API's."""

import ast
from pathlib import Path

import atelier.web.views

VIEWS = Path(atelier.web.views.__file__)


def _tree() -> ast.Module:
    return ast.parse(VIEWS.read_text(), filename=str(VIEWS))


def test_the_views_import_no_model_and_no_query_tools():
    imported = []
    for node in ast.walk(_tree()):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]

    offending = [
        name
        for name in imported
        if ".models." in name
        or name.endswith(".models")
        or name.startswith(("django.db", "django.contrib.auth.models"))
    ]
    assert offending == [], "web/views.py reads and writes through selectors and services"


def test_the_views_use_no_manager_or_queryset_of_their_own():
    queries = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(_tree())
        if isinstance(node, ast.Attribute)
        and node.attr in {"objects", "_default_manager", "raw", "extra"}
    ]
    names = [
        f"line {node.lineno}: {node.id}"
        for node in ast.walk(_tree())
        if isinstance(node, ast.Name) and node.id in {"Q", "F", "Exists", "OuterRef", "Subquery"}
    ]

    assert queries + names == []
