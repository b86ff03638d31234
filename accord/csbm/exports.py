"""The CSBM compliance exports by year: CSV (RFC 4180, with a header row) and JSON.

Public and without sign-in, like the log the report is counted from
(``accord.csbm.compliance`` reads only public projections); parties are named in the page's
language. Each answer names its file in a ``Content-Disposition`` so that a national
verification centre keeps the year's picture under a name that says what it is. An export
costs the report's constant number of queries, whatever the year's traffic.
"""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import translation
from django.views.decorators.http import require_safe

from accord.csbm import compliance

CSV = "text/csv; charset=utf-8; header=present"
JSON = "application/json; charset=utf-8"
YEARS = range(1990, 10_000)
"""Years a report is drawn for: from the first Vienna Document; any other is not found."""


def _report(year: int) -> compliance.Report:
    if year not in YEARS:
        raise Http404("No compliance report for that year")
    return compliance.report(year, language=translation.get_language() or "en")


def _file(data: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def compliance_csv(_request: HttpRequest, year: int) -> HttpResponse:
    """The year's picture, one row per party (``compliance.COLUMNS``)."""
    return _file(compliance.as_csv(_report(year)), CSV, f"csbm-compliance-{year}.csv")


@require_safe
def compliance_json(_request: HttpRequest, year: int) -> HttpResponse:
    """The year's picture with the profile version and regime it was drawn under."""
    text = json.dumps(compliance.as_json(_report(year)), ensure_ascii=False, indent=2)
    return _file(text + "\n", JSON, f"csbm-compliance-{year}.json")


urlpatterns: list[URLPattern] = [
    path("csbm/compliance/<int:year>.csv", compliance_csv, name="csbm-compliance-csv"),
    path("csbm/compliance/<int:year>.json", compliance_json, name="csbm-compliance-json"),
]
