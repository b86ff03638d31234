"""The committed OpenAPI document is the API's: a test fails when code and document drift."""

import json
from pathlib import Path

from accord.api import api

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def test_the_committed_openapi_document_matches_the_api() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    served = json.loads(json.dumps(api.get_openapi_schema()))  # status codes become strings
    assert served == committed, "the API changed: run `make openapi`"


def test_the_document_names_every_forum_endpoint() -> None:
    paths = set(json.loads(COMMITTED.read_text(encoding="utf-8"))["paths"])
    assert {
        "/api/v1/forum",
        "/api/v1/forum/invitations",
        "/api/v1/forum/invitations/answer",
        "/api/v1/forum/join",
        "/api/v1/forum/leave",
        "/api/v1/forum/chair",
        "/api/v1/forum/people",
        "/api/v1/statements",
    } <= paths
