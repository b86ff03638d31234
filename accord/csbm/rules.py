"""The CSBM regime profile: the forum profile's ``sections["csbm"]``, and what it computes.

Every threshold, notice period, reply deadline and quota is a number in the profile with
the paragraph it comes from and its confidence (V checked, S secondary, M to be confirmed;
``reference/csbm.md`` §1). The default is data (``regimes/vd2011.toml``), never code: a
forum adopts or amends the section by a profile amendment, and each computation names the
profile version it used, which a notification, a deadline and a conclusion keep, so an
amendment never changes what was concluded under an earlier version.

Deadlines run from the log's ``logged_at`` (UTC), in clock hours, calendar days or working
days (the profile's weekend and holidays, also in UTC days).
"""

import json
import math
import tomllib
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.forum import queries as forum_queries
from accord.forum.models import RulesProfile
from accord.forum.profile import Profile, parsed

SECTION = "csbm"
Status = Literal["V", "S", "M"]
Weekday = Annotated[int, Field(ge=0, le=6)]
"""Monday is 0, as ``date.weekday`` counts."""


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Number(_Strict):
    """A count or threshold, with its paragraph and confidence."""

    value: int = Field(ge=0, le=10_000_000)
    ref: str = Field(min_length=1, max_length=200)
    status: Status

    def cite(self) -> str:
        return f"{self.ref} [{self.status}]"


class Day(_Strict):
    """A day of the year (``MM-DD``) something is due by."""

    value: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    ref: str = Field(min_length=1, max_length=200)
    status: Status

    def cite(self) -> str:
        return f"{self.ref} [{self.status}]"


class Period(_Strict):
    """A time allowed: so many clock hours, calendar days or working days."""

    amount: int = Field(ge=0, le=100_000)
    unit: Literal["hours", "calendar_days", "working_days"]
    ref: str = Field(min_length=1, max_length=200)
    status: Status

    def cite(self) -> str:
        return f"{self.ref} [{self.status}]"

    def words(self) -> str:
        """ "48 hours", "2 working days": the rule as the pages and the CLI say it."""
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


class NotificationRules(_Strict):
    """Chapter V: prior notification, and the lead time it needs."""

    lead_days: Number
    troops: Number
    battle_tanks: Number
    acv: Number
    artillery: Number
    amphibious_or_airborne_troops: Number
    air_sorties: Number


class ObservationRules(_Strict):
    """Chapter VI: when observers from every participating party are invited."""

    troops: Number
    battle_tanks: Number
    acv: Number
    artillery: Number
    amphibious_or_airborne_troops: Number
    alert_min_hours: Number
    reply_days: Number
    observers_per_state: Number


class Constraint(_Strict):
    """Chapter VIII: at most ``most`` activities above any of the band's figures in a window."""

    window: Literal["three_years", "calendar_year", "simultaneous"]
    most: Number
    troops: Number | None = None
    battle_tanks: Number | None = None
    acv: Number | None = None
    artillery: Number | None = None


class DueDay(_Strict):
    due: Day


class Acknowledgement(_Strict):
    """How long a recipient has to acknowledge, and which UTC weekdays are not working days
    (Monday is 0) with the dates of the profile's holidays."""

    within: Period
    weekend: list[Weekday] = Field(default_factory=lambda: [5, 6], max_length=6)
    """At most six days: a week with no working day would leave a deadline in working days
    with no end."""
    holidays: list[str] = Field(default_factory=list, max_length=400)

    @field_validator("weekend")
    @classmethod
    def _once_each(cls, days: list[int]) -> list[int]:
        if len(set(days)) != len(days):
            raise ValueError("each weekday is named once")
        return days

    @field_validator("holidays")
    @classmethod
    def _dates(cls, days: list[str]) -> list[str]:
        for day in days:
            try:
                date.fromisoformat(day)
            except ValueError as error:
                raise ValueError(f"{day!r} is not a date (YYYY-MM-DD)") from error
            if len(day) != 10:
                raise ValueError(f"{day!r} is not a date (YYYY-MM-DD)")
        return days


class RiskReduction(_Strict):
    """Chapter III §16: the reply to a request for clarification, and the meetings after it."""

    reply: Period
    bilateral_meeting: Period
    all_meeting: Period


class HazardousIncident(_Strict):
    reply: Period


class InspectionRules(_Strict):
    """Chapter IX: inspections a party accepts a year, from one requester, and their times."""

    passive_per_year: Number
    per_requester_per_year: Number
    reply: Period
    team_entry: Period
    duration: Period
    team_max: Number
    report: Period


class EvaluationRules(_Strict):
    """Chapter IX: evaluation visits, a quota set by the units a party reported."""

    units_per_visit: Number
    most_per_year: Number
    per_requester_divisor: Number
    per_unit_per_year: Number
    per_unit_per_requester: Number
    reply: Period


@cache
def _default() -> dict[str, Any]:
    text = resources.files("accord.csbm").joinpath("regimes/vd2011.toml").read_text("utf-8")
    return tomllib.loads(text)


def _part(name: str) -> Any:
    return lambda: _default()[name]


class CsbmRules(_Strict):
    """The regime a forum's notifications follow: its name, the edition of its own text, and
    every number with its paragraph and confidence."""

    # The defaults are parsed from data, so they are validated the strict way as well.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, validate_default=True)

    regime: str = Field(default_factory=_part("regime"), min_length=1, max_length=64)
    title: str = Field(default_factory=_part("title"), min_length=1, max_length=300)
    edition: int = Field(default_factory=_part("edition"), ge=1)
    notification: NotificationRules = Field(default_factory=_part("notification"))
    observation: ObservationRules = Field(default_factory=_part("observation"))
    constraints: list[Constraint] = Field(default_factory=_part("constraints"), max_length=20)
    calendar: DueDay = Field(default_factory=_part("calendar"))
    exchange: DueDay = Field(default_factory=_part("exchange"))
    acknowledgement: Acknowledgement = Field(default_factory=_part("acknowledgement"))
    risk_reduction: RiskReduction = Field(default_factory=_part("risk_reduction"))
    hazardous_incident: HazardousIncident = Field(default_factory=_part("hazardous_incident"))
    inspection: InspectionRules = Field(default_factory=_part("inspection"))
    evaluation: EvaluationRules = Field(default_factory=_part("evaluation"))


def _section(profile: Profile) -> CsbmRules:
    section = profile.sections.get(SECTION)
    return _validated(json.dumps(section, sort_keys=True)) if section else CsbmRules()


@lru_cache(maxsize=16)
def _validated(section: str) -> CsbmRules:
    """A section validated once per distinct content (a notification reads it in its check
    and its apply, and every page that explains a deadline reads it again)."""
    return CsbmRules.model_validate(json.loads(section))


def csbm_rules() -> tuple[int, CsbmRules]:
    """The profile version in force and its CSBM section; one query."""
    found = forum_queries.profile()
    if found is None:
        return 0, CsbmRules()
    return found[0], _section(found[1])


def rules_at(version: int) -> CsbmRules:
    """The CSBM section of profile ``version`` (the one a deadline was computed under); one
    query. Version 0 is the shipped default (a ledger with no forum)."""
    row = RulesProfile.objects.filter(version=version).first()
    if row is None:
        return CsbmRules()
    return _section(parsed(row.profile))


def _working(day: date, rules: Acknowledgement) -> bool:
    return day.weekday() not in rules.weekend and day.isoformat() not in rules.holidays


def due(start: datetime, period: Period, working: Acknowledgement) -> datetime:
    """When ``period`` from ``start`` ends. Working days count whole UTC days after the start's
    day that are neither weekend nor holiday, and end at the same time of day."""
    if period.unit == "hours":
        return start + timedelta(hours=period.amount)
    if period.unit == "calendar_days":
        return start + timedelta(days=period.amount)
    moment, left = start, period.amount
    # Bounded: every week has a working day (the profile allows at most six weekend days),
    # and holidays are at most 400 a profile.
    for _day in range(7 * period.amount + 400 + 7):
        if not left:
            return moment
        moment += timedelta(days=1)
        if _working(moment.date(), working):
            left -= 1
    raise ValueError(f"{period.words()} from {start.isoformat()} never end in this profile")


def evaluation_quota(units: int, rules: EvaluationRules) -> int:
    """Visits a party reporting ``units`` units accepts a year: one per ``units_per_visit`` or
    part of it, at most ``most_per_year`` (VD2011 §107)."""
    if units <= 0:
        return 0
    return min(math.ceil(units / rules.units_per_visit.value), rules.most_per_year.value)


def evaluation_per_requester(quota: int, rules: EvaluationRules) -> int:
    """Visits one requester may make to one party a year: a fifth of its quota, or one when
    the quota is under five (VD2011 §108)."""
    divisor = rules.per_requester_divisor.value
    return quota // divisor if quota >= divisor else 1
