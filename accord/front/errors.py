"""The project's own error pages: in the layout and the reader's language for pages,
JSON for the API, so a script never has to parse an HTML page to learn what went wrong.

Django calls the handlers named in ``accord/urls.py`` for 400, 403, 404 and 500;
``NotAllowedPage`` renders the bare 405 Django's ``require_http_methods`` returns.
The log's own plain-text API (``/log/…``) keeps its plain-text answers.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
LOG_PREFIX = "/log/"

logger = logging.getLogger(__name__)


def _for_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_answer(status: int, detail: str) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def not_found(
    request: HttpRequest,
    exception: Exception | None = None,  # noqa: ARG001 -- Django passes it by this name
) -> HttpResponse:
    """404: the API says so in JSON; a page shows the layout with a way back."""
    if _for_api(request):
        return _api_answer(404, f"There is no API endpoint at {request.path}; see /api/v1/docs.")
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the reason the refusal gave (a sentence), or a general one."""
    reason = str(exception) if exception is not None and str(exception) else ""
    if _for_api(request):
        return _api_answer(403, reason or "You may not do this.")
    return render(request, "403.html", {"exception": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:  # noqa: ARG001
    """403 for a form sent without its CSRF token (an expired page, or another site posting
    it): our layout instead of Django's page, whose inline style the CSP blocks."""
    sentence = _(
        "This form has expired or did not come from this site. Reload the page and send it again."
    )
    return forbidden(request, PermissionError(str(sentence)))


def bad_request(
    request: HttpRequest,
    exception: Exception | None = None,  # noqa: ARG001 -- Django passes it by this name
) -> HttpResponse:
    """400: a request Django could not accept (a bad host, a broken upload)."""
    if _for_api(request):
        return _api_answer(400, "The request could not be read; check its format.")
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the layout without the site's context, which may be what failed.

    The template is rendered without a request, so no context processor (and no
    database query) runs; if even that fails, a plain sentence is sent.
    """
    if _for_api(request):
        return _api_answer(500, "The server failed; the secretariat has been told.")
    try:
        return HttpResponse(loader.render_to_string("500.html"), status=500)
    except Exception:
        logger.exception("the 500 page could not be rendered")
        return HttpResponse(
            "The server failed; the secretariat has been told.",
            content_type="text/plain; charset=utf-8",
            status=500,
        )


class NotAllowedPage:
    """Renders a bare 405 into the layout for pages; keeps the ``Allow`` header.

    Costs nothing for any other response.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith(LOG_PREFIX):
            return response
        allowed = response.get("Allow", "")
        if _for_api(request):
            page: HttpResponse = _api_answer(
                405, f"{request.method} is not allowed here; use {allowed}."
            )
        else:
            page = render(request, "405.html", {"allowed": allowed}, status=405)
        page["Allow"] = allowed
        return page
