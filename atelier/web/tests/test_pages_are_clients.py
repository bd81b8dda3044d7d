"""The pages are a second client of the API's selectors and services: web/views.py and
web/moderation_views.py run no query of their own (no model, no manager, no Q) so their
rules cannot drift from the API's."""

import ast
from pathlib import Path

import pytest

import atelier.web.moderation_views
import atelier.web.views

MODULES = [Path(atelier.web.views.__file__), Path(atelier.web.moderation_views.__file__)]
EACH_MODULE = pytest.mark.parametrize("views", MODULES, ids=lambda path: path.name)


def _tree(views: Path) -> ast.Module:
    return ast.parse(views.read_text(), filename=str(views))


def test_every_module_of_views_is_checked():
    web = Path(atelier.web.views.__file__).parent

    assert sorted(web.glob("*views*.py")) == sorted(MODULES)


@EACH_MODULE
def test_the_views_import_no_model_and_no_query_tools(views):
    imported = []
    for node in ast.walk(_tree(views)):
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


@EACH_MODULE
def test_the_views_use_no_manager_or_queryset_of_their_own(views):
    queries = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(_tree(views))
        if isinstance(node, ast.Attribute)
        and node.attr in {"objects", "_default_manager", "raw", "extra"}
    ]
    names = [
        f"line {node.lineno}: {node.id}"
        for node in ast.walk(_tree(views))
        if isinstance(node, ast.Name) and node.id in {"Q", "F", "Exists", "OuterRef", "Subquery"}
    ]

    assert queries + names == []
