"""The pages' CSS and htmx are served by Accord itself, also with DEBUG off (production)."""

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.mark.parametrize("path", ["/static/front/accord.css", "/static/htmx/htmx.min.js"])
def test_static_files_are_served_without_debug(
    db: None, client: Client, settings: SettingsWrapper, path: str
) -> None:
    settings.DEBUG = False
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert len(body) > 100
