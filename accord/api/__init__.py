"""One OpenAPI document assembled from each app's ``api.py`` router."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import ValidationError

from accord.charter.api import router as charter_router
from accord.csbm.api import router as csbm_router
from accord.dialogue.api import router as dialogue_router
from accord.forum.api import router as forum_router
from accord.forum.witness_api import router as witness_router
from accord.ledger.api import router as ledger_router
from accord.ledger.restricted_api import router as restricted_router


def _head_as_get(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer HEAD as GET (RFC 9110 §9.3.2), as Django's class-based views do; the server
    drops the body. Ninja routes only the methods an operation names, and naming HEAD on
    each would list it twice in the OpenAPI document."""

    @functools.wraps(view)
    def view_with_head(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    return view_with_head


class AccordAPI(NinjaAPI):
    """The API, whose GET routes also answer HEAD."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _head_as_get(pattern.callback)
        return patterns, app_name, namespace


api = AccordAPI(
    title="Accord",
    version="1",
    description="Signed statements in, receipts and refusals out; the forum's public record.",
    urls_namespace="api",
)
api.add_router("/", ledger_router)
api.add_router("/", forum_router)
api.add_router("/", restricted_router)
api.add_router("/", charter_router)
api.add_router("/", dialogue_router)
api.add_router("/", csbm_router)
api.add_router("/", witness_router)


@api.exception_handler(ValidationError)
def _malformed_request(request: HttpRequest, exc: ValidationError) -> HttpResponseBase:
    """A body or parameter that does not fit its schema answers 422 as a ``Refusal`` (code
    ``malformed_request``, no signed note: nothing was signed), the shape the OpenAPI
    document gives every act's 422, instead of ninja's own list of errors."""
    where = "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', ()))}: {error.get('msg', '')}"
        for error in exc.errors
    )
    reason = f"The request does not fit the API's schema ({where}); fix it and send it again."
    answer = {"code": "malformed_request", "reason": reason, "refusal": None}
    return api.create_response(request, answer, status=422)
