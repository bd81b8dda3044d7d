"""docs/api.md names every operation the server's OpenAPI schema has.

An operation is a method and a path, written in the reference as `GET /api/posts/{id}/`.
Path parameters are compared by position only (`{id}`, `{pk}` and `{comment_id}` are the
same slot), so the reference may name them for a reader.
"""

import re
from pathlib import Path

import pytest
from rest_framework.test import APIClient

REFERENCE = Path(__file__).resolve().parents[3] / "docs" / "api.md"
METHODS = ("get", "post", "put", "patch", "delete")
_PARAMETER = re.compile(r"\{[^}/]*\}")
_WRITTEN = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) (/[^\s`|)]*)")


def _shape(path: str) -> str:
    return _PARAMETER.sub("{}", path)


def schema_operations() -> set[tuple[str, str]]:
    """(METHOD, path with anonymous parameters) of every operation in /api/schema/."""
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    return {
        (method.upper(), _shape(path))
        for path, item in response.json()["paths"].items()
        for method in item
        if method in METHODS
    }


def documented_operations(text: str) -> set[tuple[str, str]]:
    """(METHOD, path) of every `METHOD /path` written in the reference."""
    return {(method, _shape(path)) for method, path in _WRITTEN.findall(text)}


def test_the_reference_reads_operations_as_written():
    text = "| `POST /api/posts/{id}/comments/` | ... `DELETE /api/posts/{id}/comments/{cid}/` |"

    assert documented_operations(text) == {
        ("POST", "/api/posts/{}/comments/"),
        ("DELETE", "/api/posts/{}/comments/{}/"),
    }


@pytest.mark.django_db
def test_every_operation_of_the_schema_is_in_docs_api_md():
    missing = schema_operations() - documented_operations(REFERENCE.read_text())

    assert not missing, "docs/api.md lacks: " + ", ".join(
        f"{method} {path}" for method, path in sorted(missing, key=lambda m: (m[1], m[0]))
    )
