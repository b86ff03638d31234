"""The published JSON Schemas are the formats Accord enforces: each is a valid draft 2020-12
schema, an example body of each validates against it with an independent validator
(``jsonschema``) and is accepted by ``actions.notify``, and bodies the validator rejects are
refused by Accord too. A national system that validates against ``accord csbm schema TYPE``
before sending therefore meets no surprise when the body arrives."""

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from accord.csbm import actions
from accord.csbm.formats import FORMATS
from accord.ledger.errors import Malformed
from tests.csbm.world import AA_HEAD, BB_HEAD, DD_HEAD, CsbmWorld

pytestmark = pytest.mark.django_db

NAMES = sorted(FORMATS)


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(FORMATS[name].schema(), format_checker=FormatChecker())


def valid(name: str, body: dict[str, Any]) -> bool:
    return bool(validator(name).is_valid(body))


@pytest.mark.parametrize("name", NAMES)
def test_every_format_publishes_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = FORMATS[name].schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}/v{FORMATS[name].v}.json")
    assert schema["additionalProperties"] is False


def _sequence(csbm: CsbmWorld) -> list[tuple[str, Any, Callable[[dict[str, int]], dict[str, Any]]]]:
    """One example of every format, in an order the rules accept: each request before its
    reply and meetings, BB's exchange of information before an evaluation of its unit."""
    year = csbm.today().year
    return [
        ("prior-notification", AA_HEAD, lambda _made: csbm.prior()),
        (
            "annual-calendar",
            AA_HEAD,
            lambda _made: {
                "year": year + 1,
                "activities": [
                    {
                        "designation": "Union Shield",
                        "purpose": "A field exercise.",
                        "kind": "land_exercise",
                        "starts_on": f"{year + 1}-05-01",
                        "ends_on": f"{year + 1}-05-10",
                        "area": "Northern ranges",
                        "forces": {"troops": 12000},
                    }
                ],
            },
        ),
        ("annual-exchange", BB_HEAD, lambda _made: csbm.exchange(units=3)),
        (
            "clarification-request",
            AA_HEAD,
            lambda _made: {
                "requested_state": "BB",
                "activity": "Armour moving west",
                "location": "Near the border",
                "reasons": "Not in any calendar.",
            },
        ),
        (
            "clarification-reply",
            BB_HEAD,
            lambda made: {"in_reply_to": made["clarification-request"], "reply": "A drill."},
        ),
        (
            "bilateral-meeting-request",
            AA_HEAD,
            lambda made: {
                "in_reply_to": made["clarification-request"],
                "proposed_place": "Vienna",
                "agenda": "The movements",
            },
        ),
        (
            "all-parties-meeting-request",
            AA_HEAD,
            lambda made: {
                "in_reply_to": made["clarification-request"],
                "proposed_place": "Vienna",
                "agenda": "The movements, with every party",
            },
        ),
        (
            "hazardous-incident",
            AA_HEAD,
            lambda _made: {
                "addressees": ["BB"],
                "occurred_at": "2025-01-01T10:00:00Z",
                "location": "The strait",
                "description": "A near collision of two patrol boats.",
                "point_of_contact": "Navy duty officer",
            },
        ),
        ("inspection-request", AA_HEAD, lambda _made: csbm.inspection("BB")),
        (
            "inspection-reply",
            BB_HEAD,
            lambda made: {"in_reply_to": made["inspection-request"], "accepted": True},
        ),
        (
            "inspection-report",
            AA_HEAD,
            lambda made: {"in_reply_to": made["inspection-request"], "findings": "As notified."},
        ),
        (
            "evaluation-request",
            DD_HEAD,
            lambda _made: {
                "receiving_state": "BB",
                "unit": "Brigade 2",
                "requested_on": csbm.day(10),
                "team_size": 3,
            },
        ),
        (
            "evaluation-reply",
            BB_HEAD,
            lambda made: {"in_reply_to": made["evaluation-request"], "accepted": True},
        ),
        ("general-communication", AA_HEAD, lambda _made: csbm.general()),
    ]


def test_an_example_of_every_format_validates_and_is_accepted_by_accord(csbm: CsbmWorld) -> None:
    made: dict[str, int] = {}
    for name, actor, body_of in _sequence(csbm):
        body = body_of(made)
        errors = [error.message for error in validator(name).iter_errors(body)]
        assert errors == [], (name, errors)
        made[name] = csbm.notify(actor, name, body)
    assert set(made) == set(FORMATS)


def _refused_by_accord(csbm: CsbmWorld, name: str, body: dict[str, Any]) -> None:
    refusal = csbm.forum.refused(
        "bad_payload", lambda: actions.notify(AA_HEAD, format=name, payload=body)
    )
    assert isinstance(refusal, Malformed)


def test_a_negative_troop_count_is_rejected_by_both(csbm: CsbmWorld) -> None:
    body = csbm.prior(forces={"troops": -5})
    assert not valid("prior-notification", body)
    _refused_by_accord(csbm, "prior-notification", body)


def test_an_absurd_troop_count_is_rejected_by_both(csbm: CsbmWorld) -> None:
    body = csbm.prior(forces={"troops": 10**8})
    assert not valid("prior-notification", body)
    _refused_by_accord(csbm, "prior-notification", body)


def test_a_wrong_enum_is_rejected_by_both(csbm: CsbmWorld) -> None:
    for name, body in (
        ("prior-notification", csbm.prior(kind="naval_parade")),
        ("general-communication", csbm.general(category="threat")),
    ):
        assert not valid(name, body)
        _refused_by_accord(csbm, name, body)


def test_a_missing_required_field_is_rejected_by_both(csbm: CsbmWorld) -> None:
    for name, body in (
        ("general-communication", {k: v for k, v in csbm.general().items() if k != "subject"}),
        ("prior-notification", {k: v for k, v in csbm.prior().items() if k != "forces"}),
    ):
        assert not valid(name, body)
        _refused_by_accord(csbm, name, body)


def test_an_unknown_field_and_a_wrong_type_are_rejected_by_both(csbm: CsbmWorld) -> None:
    for name, body in (
        ("general-communication", csbm.general(urgency="high")),
        ("general-communication", csbm.general(dated=20250101)),
        ("prior-notification", csbm.prior(forces={"troops": "12000"})),
    ):
        assert not valid(name, body)
        _refused_by_accord(csbm, name, body)


def test_a_date_that_is_no_date_is_rejected_by_both(csbm: CsbmWorld) -> None:
    body = csbm.general(dated="2025-02-30")
    with pytest.raises(jsonschema.ValidationError):
        validator("general-communication").validate(body)
    _refused_by_accord(csbm, "general-communication", body)


def test_the_general_communications_required_fields_are_free_text_dates_and_enums() -> None:
    (name,) = [name for name in FORMATS if "general" in name]
    schema = FORMATS[name].schema()
    assert schema["required"]
    for field in schema["required"]:
        shown = schema["properties"][field]
        assert shown.get("type") == "string", field
        assert set(shown) <= {
            "type",
            "title",
            "description",
            "minLength",
            "maxLength",
            "format",
            "pattern",
            "enum",
        }, field
        assert shown.get("format", "date") == "date", field
    assert FORMATS[name].scope == "all"
