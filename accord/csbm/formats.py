"""The notification formats: one typed, versioned payload per message type, as JSON Schema.

Each format is modelled on a chapter of the Vienna Document 2011 (FSC.DOC/1/11) and, for
holdings, on the reporting charts of the CFE Treaty's Protocol on Notification and Exchange
of Information; each field's description names the paragraph it comes from. A national
system validates its body against ``accord csbm schema TYPE`` (draft 2020-12) before sending;
Accord validates the same model again when the body arrives.

A format also says who receives it (``all`` the participating parties, the ``addressee``
the payload names, or the sender of the message it ``answers``), which case it opens or
answers, and which payload fields are *public facts*: copied into the public notification
entry so that lateness, quotas and consultations can be judged by anyone replaying the
public log, while the rest of the body stays restricted to its recipients.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from accord.csbm.thresholds import Forces

SCHEMA_BASE = "https://accord.example/schemas/csbm"
Code = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="A party's code in the forum.")
Text = Field(min_length=1, max_length=20_000)
Short = Field(min_length=1, max_length=300)
Scope = Literal["all", "addressee", "answers"]


def _plain(value: str) -> str:
    bad = [ch for ch in value if ord(ch) < 32 and ch not in "\n\t\r"]
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad[0]):04X}")
    return value


class Payload(BaseModel):
    """What every format has: the notification it corrects, if any."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    supersedes: int | None = Field(
        default=None,
        ge=0,
        description="The notification this one corrects or changes (VD2011 §42: later"
        " changes are notified; a correction is a new message, never an edit).",
    )

    @model_validator(mode="after")
    def _texts_are_plain(self) -> "Payload":
        for value in self.model_dump().values():
            if isinstance(value, str):
                _plain(value)
        return self


def _day(text: str) -> str:
    date.fromisoformat(text)
    return text


def _moment(text: str) -> str:
    datetime.fromisoformat(text)
    return text


def _dated(description: str = "") -> Any:
    """A date field (ISO 8601, ``YYYY-MM-DD``), described for the schema."""
    return Field(
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        json_schema_extra={"format": "date"},
        description=description or None,
    )


Day = _dated()
Moment = Field(
    pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z$",
    json_schema_extra={"format": "date-time"},
)


class Point(BaseModel):
    """A position in decimal degrees (WGS 84), written as text: signed statements carry no
    floating-point numbers (RFC 8785 would round them differently on other systems)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    lat: str = Field(pattern=r"^-?[0-9]{1,2}(\.[0-9]{1,6})?$", examples=["53.902284"])
    lon: str = Field(pattern=r"^-?[0-9]{1,3}(\.[0-9]{1,6})?$", examples=["27.561831"])

    @model_validator(mode="after")
    def _on_the_globe(self) -> "Point":
        if abs(float(self.lat)) > 90 or abs(float(self.lon)) > 180:
            raise ValueError(f"{self.lat}, {self.lon} is not a position on the globe")
        return self


class Phase(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    starts_on: str = Day
    ends_on: str = Day
    description: str = Short

    _days = field_validator("starts_on", "ends_on")(_day)


ActivityKind = Literal[
    "land_exercise",
    "amphibious_landing",
    "parachute_assault",
    "transfer",
    "concentration",
    "alert_activity",
]


class PriorNotification(Payload):
    """Prior notification of a military activity (VD2011 Ch. V)."""

    designation: str = Field(
        min_length=1, max_length=300, description="Designation of the activity (VD2011 §41.1)."
    )
    purpose: str = Field(min_length=1, max_length=2000, description="Its purpose (§41.2).")
    kind: ActivityKind = Field(description="Type of activity (§38.1–§38.4; alert, §41).")
    states_involved: list[str] = Field(
        default_factory=list, max_length=60, description="States involved (§41.3)."
    )
    command_level: str = Field(
        min_length=1, max_length=200, description="Level of command organizing it (§41.4)."
    )
    starts_on: str = _dated("Start date (§41.5).")
    ends_on: str = _dated("End date (§41.5).")
    forces: Forces = Field(description="Peak forces involved (§42.1–§42.5, §42.7).")
    divisions: int = Field(default=0, ge=0, le=500, description="Divisions (§42.1.3).")
    brigades_regiments: int = Field(
        default=0, ge=0, le=2000, description="Brigades or regiments not in divisions (§42.1.4)."
    )
    helicopters: int = Field(default=0, ge=0, le=20_000, description="Helicopters (§42.4).")
    area: str = Field(
        min_length=1, max_length=2000, description="Area: geographic features (§43.1)."
    )
    coordinates: list[Point] = Field(
        default_factory=list, max_length=200, description="The area's corners (§43.1)."
    )
    phases: list[Phase] = Field(
        default_factory=list, max_length=50, description="Time frames of each phase (§44)."
    )
    observers_invited: bool = Field(default=False, description="Observers invited (Ch. VI §47).")
    voluntary: bool = Field(
        default=False, description="Notified below the thresholds, of the party's own accord."
    )

    _days = field_validator("starts_on", "ends_on")(_day)

    @model_validator(mode="after")
    def _ends_after_start(self) -> "PriorNotification":
        if self.ends_on < self.starts_on:
            raise ValueError(f"the activity ends on {self.ends_on}, before {self.starts_on}")
        return self


class PlannedActivity(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    designation: str = Field(min_length=1, max_length=300, description="VD2011 §62.1.")
    purpose: str = Field(min_length=1, max_length=2000, description="§62.2.")
    kind: ActivityKind = Field(description="§62.3.")
    starts_on: str = Day
    ends_on: str = Day
    area: str = Field(min_length=1, max_length=2000, description="§62.5.")
    forces: Forces = Field(description="Planned forces (§62.7).")

    _days = field_validator("starts_on", "ends_on")(_day)


class AnnualCalendar(Payload):
    """The annual calendar of notifiable activities for the next year (VD2011 Ch. VII)."""

    year: int = Field(ge=2000, le=2200, description="The calendar year it covers (§61).")
    nil_return: bool = Field(
        default=False, description="No notifiable activity planned (§61: a nil calendar)."
    )
    activities: list[PlannedActivity] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _nil_or_not(self) -> "AnnualCalendar":
        if self.nil_return == bool(self.activities):
            raise ValueError("a calendar lists its activities, or is a nil return with none")
        return self


class Holdings(BaseModel):
    """Major weapon and equipment holdings, in the categories of the CFE Treaty's Protocol on
    Notification and Exchange of Information (Section III charts) and VD2011 §10.2.5."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    battle_tanks: int = Field(default=0, ge=0, le=100_000)
    acv: int = Field(default=0, ge=0, le=200_000, description="APC, AIFV and HACV.")
    artillery: int = Field(default=0, ge=0, le=100_000, description="100 mm and above.")
    attack_helicopters: int = Field(default=0, ge=0, le=20_000)
    combat_aircraft: int = Field(default=0, ge=0, le=20_000)
    atgm_launchers: int = Field(default=0, ge=0, le=100_000)
    avlb: int = Field(default=0, ge=0, le=20_000, description="Armoured vehicle-launched bridges.")


class Unit(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    designation: str = Field(min_length=1, max_length=200, description="VD2011 §10.1.")
    level: Literal["formation", "unit"] = Field(description="§10.1–§10.2.")
    subordination: str = Field(default="", max_length=200, description="§10.1.")
    active: bool = Field(default=True, description="Active or non-active (§10.2.3).")
    location: str = Field(min_length=1, max_length=200, description="Peacetime location (§10.2.4).")
    coordinates: Point = Field(description="Its geographic coordinates (§10.2.4).")
    personnel: int = Field(ge=0, le=1_000_000, description="Peacetime authorized (§10.2.5).")
    holdings: Holdings = Field(default_factory=Holdings)


class AnnualExchange(Payload):
    """The annual exchange of military information (VD2011 Ch. I)."""

    year: int = Field(ge=2000, le=2200, description="Valid as of 1 January of this year (§10).")
    units: list[Unit] = Field(min_length=0, max_length=5000)
    deployment_plans: str = Field(default="", max_length=20_000, description="§13.")


class ClarificationRequest(Payload):
    """A request for explanation of an unusual military activity (VD2011 §16.1.1)."""

    requested_state: str = Code
    activity: str = Field(min_length=1, max_length=2000, description="Type of activity (§16.1.1).")
    location: str = Field(min_length=1, max_length=2000, description="Its location (§16.1.1).")
    reasons: str = Field(min_length=1, max_length=20_000, description="The concern (§16.1.1).")


class ClarificationReply(Payload):
    """The reply to a request for explanation (VD2011 §16.1.2)."""

    in_reply_to: int = Field(ge=0, description="The request answered.")
    reply: str = Field(min_length=1, max_length=20_000, description="§16.1.2.")


class MeetingRequest(Payload):
    """A request for a meeting on an unusual activity (VD2011 §16.2.1 and §16.2.2)."""

    in_reply_to: int = Field(ge=0, description="The request for explanation it follows.")
    proposed_place: str = Field(min_length=1, max_length=300)
    agenda: str = Field(min_length=1, max_length=20_000)


class HazardousIncident(Payload):
    """A report of a hazardous incident of a military nature (VD2011 §17)."""

    addressees: list[str] = Field(min_length=1, max_length=60, description="§17.1.")
    occurred_at: str = Moment
    location: str = Field(min_length=1, max_length=2000)
    description: str = Field(min_length=1, max_length=20_000, description="§17.2.")
    point_of_contact: str = Field(min_length=1, max_length=300, description="§17.1.")

    _moment = field_validator("occurred_at")(_moment)


class InspectionRequest(Payload):
    """A request for inspection of a specified area (VD2011 Ch. IX, §74–§82)."""

    receiving_state: str = Code
    specified_area: str = Field(min_length=1, max_length=2000, description="§80.")
    point_of_entry: str = Field(min_length=1, max_length=300, description="§80.")
    reasons: str = Field(min_length=1, max_length=20_000, description="§80.")
    team_size: int = Field(ge=1, le=50, description="Inspectors (§90; the profile caps it).")
    modes: list[Literal["ground", "air"]] = Field(min_length=1, max_length=2)


class VisitReply(Payload):
    """The receiving party's reply to an inspection or evaluation request (VD2011 §80, §112)."""

    in_reply_to: int = Field(ge=0)
    accepted: bool
    force_majeure: bool = Field(default=False, description="§77: not counted against quota.")
    reason: str = Field(default="", max_length=20_000)

    @model_validator(mode="after")
    def _declined_for_force_majeure(self) -> "VisitReply":
        if self.accepted and self.force_majeure:
            raise ValueError("a visit accepted is not declined for force majeure")
        return self


class VisitReport(Payload):
    """The report of an inspection or evaluation (VD2011 §96, §120)."""

    in_reply_to: int = Field(ge=0, description="The request whose visit is reported.")
    findings: str = Field(min_length=1, max_length=100_000)


class EvaluationRequest(Payload):
    """A request for an evaluation visit to a unit (VD2011 Ch. IX, §107–§115)."""

    receiving_state: str = Code
    unit: str = Field(min_length=1, max_length=200, description="As reported under §10.")
    requested_on: str = Day
    team_size: int = Field(ge=1, le=50)

    _days = field_validator("requested_on")(_day)


class GeneralCommunication(Payload):
    """A general communication to every participating party (VD2011 Ch. XII, §146)."""

    subject: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=100_000)
    category: Literal["information", "invitation", "correction", "other"]
    dated: str = Day

    _days = field_validator("dated")(_day)


@dataclass(frozen=True)
class Format:
    """One message type: its identifier and schema version, its model and who receives it."""

    id: str
    v: int
    title: str | Promise
    chapter: str
    model: type[Payload]
    scope: Scope
    addressee: str = ""
    """The payload field naming the recipients when ``scope`` is ``addressee``."""
    facts: tuple[str, ...] = ()
    """Payload fields copied into the public notification (besides ``supersedes``)."""
    answers: tuple[str, ...] = ()
    """The formats this one replies to (``in_reply_to`` must be one of them)."""
    opens: str = ""
    """The case a notification of this format opens: consultation, inspection, evaluation."""
    extra: dict[str, Any] = field(default_factory=dict)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) a national system validates a body against."""
        schema = self.model.model_json_schema()
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}/{self.id}/v{self.v}.json",
            "x-accord-format": self.id,
            "x-accord-version": self.v,
            "x-source": f"Vienna Document 2011 (FSC.DOC/1/11), {self.chapter}",
            **schema,
            "title": str(self.title),
        }

    def facts_of(self, payload: Payload) -> dict[str, Any]:
        """The public facts of a body (``supersedes`` always among them)."""
        data = payload.model_dump()
        found: dict[str, Any] = {name: data[name] for name in self.facts}
        if self.id == "annual-exchange":
            found["unit_count"] = len(data["units"])
        if data.get("supersedes") is not None:
            found["supersedes"] = data["supersedes"]
        return found


FORMATS: dict[str, Format] = {}


def _format(fmt: Format) -> Format:
    FORMATS[fmt.id] = fmt
    return fmt


PRIOR = _format(
    Format(
        "prior-notification",
        1,
        _("Prior notification of a military activity"),
        "Chapter V (§38–§46)",
        PriorNotification,
        "all",
        facts=("kind", "starts_on", "ends_on", "voluntary"),
    )
)
CALENDAR = _format(
    Format(
        "annual-calendar",
        1,
        _("Annual calendar"),
        "Chapter VII (§61–§66)",
        AnnualCalendar,
        "all",
        facts=("year", "nil_return"),
    )
)
EXCHANGE = _format(
    Format(
        "annual-exchange",
        1,
        _("Annual exchange of military information"),
        "Chapter I (§9–§14)",
        AnnualExchange,
        "all",
        facts=("year",),
    )
)
CLARIFICATION = _format(
    Format(
        "clarification-request",
        1,
        _("Request for clarification of an unusual military activity"),
        "Chapter III (§16.1.1, §16.1.3)",
        ClarificationRequest,
        "all",
        facts=("requested_state",),
        opens="consultation",
    )
)
CLARIFICATION_REPLY = _format(
    Format(
        "clarification-reply",
        1,
        _("Reply to a request for clarification"),
        "Chapter III (§16.1.2)",
        ClarificationReply,
        "all",
        facts=("in_reply_to",),
        answers=("clarification-request",),
    )
)
BILATERAL_MEETING = _format(
    Format(
        "bilateral-meeting-request",
        1,
        _("Request for a meeting with the responding party"),
        "Chapter III (§16.2.1)",
        MeetingRequest,
        "answers",
        facts=("in_reply_to",),
        answers=("clarification-request",),
    )
)
ALL_MEETING = _format(
    Format(
        "all-parties-meeting-request",
        1,
        _("Request for a meeting of all participating parties"),
        "Chapter III (§16.2.2)",
        MeetingRequest,
        "all",
        facts=("in_reply_to",),
        answers=("clarification-request",),
    )
)
INCIDENT = _format(
    Format(
        "hazardous-incident",
        1,
        _("Report of a hazardous incident of a military nature"),
        "Chapter III (§17)",
        HazardousIncident,
        "addressee",
        addressee="addressees",
        opens="incident",
    )
)
INSPECTION = _format(
    Format(
        "inspection-request",
        1,
        _("Request for an inspection"),
        "Chapter IX (§74–§82)",
        InspectionRequest,
        "addressee",
        addressee="receiving_state",
        facts=("receiving_state",),
        opens="inspection",
    )
)
INSPECTION_REPLY = _format(
    Format(
        "inspection-reply",
        1,
        _("Reply to an inspection request"),
        "Chapter IX (§80)",
        VisitReply,
        "answers",
        facts=("in_reply_to", "accepted", "force_majeure"),
        answers=("inspection-request",),
    )
)
INSPECTION_REPORT = _format(
    Format(
        "inspection-report",
        1,
        _("Inspection report"),
        "Chapter IX (§96)",
        VisitReport,
        "all",
        facts=("in_reply_to",),
        answers=("inspection-request",),
    )
)
EVALUATION = _format(
    Format(
        "evaluation-request",
        1,
        _("Request for an evaluation visit"),
        "Chapter IX (§107–§115)",
        EvaluationRequest,
        "addressee",
        addressee="receiving_state",
        facts=("receiving_state", "unit"),
        opens="evaluation",
    )
)
EVALUATION_REPLY = _format(
    Format(
        "evaluation-reply",
        1,
        _("Reply to an evaluation request"),
        "Chapter IX (§112)",
        VisitReply,
        "answers",
        facts=("in_reply_to", "accepted", "force_majeure"),
        answers=("evaluation-request",),
    )
)
GENERAL = _format(
    Format(
        "general-communication",
        1,
        _("General communication"),
        "Chapter XII (§146)",
        GeneralCommunication,
        "all",
    )
)


def format_of(name: str) -> Format | None:
    return FORMATS.get(name)
