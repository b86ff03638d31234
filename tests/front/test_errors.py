"""The project's own error pages: in the layout and the reader's language, JSON for the API."""

import json

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from pytest_django.fixtures import Settings as SettingsWrapper

from accord import urls as site
from tests.forum.world import ForumWorld, signed_in

pytestmark = pytest.mark.django_db


def _explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a failure inside a view")


# The site's routes and handlers, and one view that fails, so the 500 is the site's own.
urlpatterns = [path("explode", _explode), *site.urlpatterns]
handler500 = site.handler500


def test_an_unknown_page_answers_404_in_the_layout(forum: ForumWorld) -> None:
    response = Client().get("/no-such-page", headers={"accept-language": "en"})
    assert response.status_code == 404
    page = response.content.decode()
    assert '<nav aria-label="Main">' in page
    assert "There is nothing at this address." in page


def test_the_404_page_speaks_russian_to_a_russian_reader(forum: ForumWorld) -> None:
    response = Client().get("/no-such-page", headers={"accept-language": "ru"})
    assert response.status_code == 404
    assert "Перейти на главную страницу форума" in response.content.decode()


def test_the_api_root_and_unknown_api_paths_answer_json(forum: ForumWorld) -> None:
    for address in ("/api/v1/", "/api/v1/no/such/thing", "/api/v2/"):
        response = Client().get(address)
        assert response.status_code == 404, address
        assert response["Content-Type"] == "application/json", address
        assert "/api/v1/docs" in json.loads(response.content)["detail"]


def test_a_page_refused_to_a_person_is_a_403_in_the_layout(forum: ForumWorld) -> None:
    response = signed_in("aa.delegate").get("/people/aa.adviser/deactivate")
    assert response.status_code == 403
    assert '<nav aria-label="Main">' in response.content.decode()


def test_a_wrong_method_on_a_page_is_a_405_in_the_layout_that_keeps_allow(
    forum: ForumWorld,
) -> None:
    response = Client().delete("/invitations", headers={"accept-language": "en"})
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    page = response.content.decode()
    assert '<nav aria-label="Main">' in page
    assert "This address does not accept that kind of request" in page


def test_a_wrong_method_on_the_log_api_stays_plain(forum: ForumWorld) -> None:
    response = Client().post("/log/checkpoint")
    assert response.status_code == 405
    assert b"<nav" not in response.content


def test_a_failing_view_shows_the_500_page_without_its_details(
    forum: ForumWorld, settings: SettingsWrapper
) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/explode")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something failed on this server." in page
    assert "a failure inside a view" not in page


def test_every_page_links_the_favicon_which_is_served(forum: ForumWorld) -> None:
    page = Client().get("/").content.decode()
    assert 'rel="icon" href="/static/front/favicon.svg"' in page


def test_a_form_sent_without_its_csrf_token_is_a_403_in_the_layout_without_inline_style(
    forum: ForumWorld,
) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in", {"username": "aa.head"}, headers={"accept-language": "en"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<nav aria-label="Main">' in page
    assert "Reload the page and send it again." in page
    assert "<style" not in page
    russian = client.post("/sign-in", {}, headers={"accept-language": "ru"}).content.decode()
    assert "Reload the page" not in russian
