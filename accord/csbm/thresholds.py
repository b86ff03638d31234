"""Whether a military activity must be notified, observed, or is constrained, and by when.

Pure computation over declared forces (their peak "at any time during the activity",
VD2011 Ch. V) and a regime profile: the threshold form's live check, ``accord csbm
threshold``, the API and the checks of a prior notification all call ``assess``, so they
cannot disagree. Each conclusion carries the sentences that explain it, naming the rule
and the profile version; no figure is written here.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from accord.csbm.rules import Constraint, CsbmRules, Number

ALERT = "alert_activity"
LAND = ("troops", "battle_tanks", "acv", "artillery")


class Forces(BaseModel):
    """An activity's declared forces at their peak; absurd figures are refused (more troops
    than any state has under arms)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    troops: int = Field(default=0, ge=0, le=5_000_000)
    battle_tanks: int = Field(default=0, ge=0, le=100_000)
    acv: int = Field(default=0, ge=0, le=200_000)
    artillery: int = Field(default=0, ge=0, le=100_000)
    air_sorties: int = Field(default=0, ge=0, le=1_000_000)
    airborne_troops: int = Field(default=0, ge=0, le=1_000_000)
    amphibious_troops: int = Field(default=0, ge=0, le=1_000_000)


@dataclass(frozen=True)
class Assessment:
    """What the profile requires of an activity, and why."""

    profile_version: int
    notifiable: bool
    observable: bool
    constrained: bool
    notify_by: date | None
    reasons: list[str] = field(default_factory=list)
    air_component: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "profile_version": self.profile_version,
            "notifiable": self.notifiable,
            "observable": self.observable,
            "constrained": self.constrained,
            "notify_by": self.notify_by.isoformat() if self.notify_by else None,
            "air_component": self.air_component,
            "reasons": self.reasons,
        }


def _reached(forces: Forces, limits: dict[str, Number]) -> list[str]:
    return [
        f"{getattr(forces, name):,} {name.replace('_', ' ')} ≥ {limit.value:,} ({limit.cite()})"
        for name, limit in limits.items()
        if getattr(forces, name) >= limit.value
    ]


def _band(forces: Forces, constraint: Constraint) -> list[str]:
    limits = {
        name: getattr(constraint, name) for name in LAND if getattr(constraint, name) is not None
    }
    return [
        f"{getattr(forces, name):,} {name.replace('_', ' ')} > {limit.value:,}"
        for name, limit in limits.items()
        if getattr(forces, name) > limit.value
    ]


WINDOWS = {
    "three_years": "in three calendar years",
    "calendar_year": "in a calendar year",
    "simultaneous": "at the same time",
}


def assess(
    forces: Forces, rules: CsbmRules, version: int, *, start: date | None = None, kind: str = ""
) -> Assessment:
    """Notifiable, observable and constrained, with ``notify_by`` (the lead days before
    ``start``; an alert activity is notified when it begins)."""
    note, seen = rules.notification, rules.observation
    landed = forces.airborne_troops + forces.amphibious_troops
    notify = _reached(forces, {name: getattr(note, name) for name in LAND})
    if landed >= note.amphibious_or_airborne_troops.value:
        notify.append(
            f"{landed:,} airborne or amphibious troops ≥"
            f" {note.amphibious_or_airborne_troops.value:,}"
            f" ({note.amphibious_or_airborne_troops.cite()})"
        )
    observe = _reached(forces, {name: getattr(seen, name) for name in LAND})
    if landed >= seen.amphibious_or_airborne_troops.value:
        observe.append(
            f"{landed:,} airborne or amphibious troops ≥"
            f" {seen.amphibious_or_airborne_troops.value:,}"
            f" ({seen.amphibious_or_airborne_troops.cite()})"
        )
    reasons = [f"Profile version {version}, regime {rules.regime} (edition {rules.edition})."]
    if notify:
        reasons.append("Must be notified: " + "; ".join(notify) + ".")
    else:
        reasons.append("Below every threshold of prior notification; it may be notified freely.")
    if observe:
        reasons.append("Observers must be invited: " + "; ".join(observe) + ".")
    air = bool(notify) and forces.air_sorties >= note.air_sorties.value
    if air:
        reasons.append(
            f"The air component is included: {forces.air_sorties:,} sorties ≥"
            f" {note.air_sorties.value:,} ({note.air_sorties.cite()})."
        )
    constrained = False
    for constraint in rules.constraints:
        over = _band(forces, constraint)
        if over:
            constrained = True
            reasons.append(
                f"Constrained: at most {constraint.most.value} such activities"
                f" {WINDOWS[constraint.window]} ({constraint.most.cite()}): "
                + "; ".join(over)
                + "."
            )
    notify_by = None
    if notify and start is not None:
        if kind == ALERT:
            notify_by = start
            reasons.append("An alert activity is notified when the troops begin it.")
        else:
            notify_by = start - timedelta(days=note.lead_days.value)
            reasons.append(
                f"Notify by {notify_by.isoformat()}: {note.lead_days.value} days before the"
                f" start ({note.lead_days.cite()})."
            )
    return Assessment(
        profile_version=version,
        notifiable=bool(notify),
        observable=bool(observe),
        constrained=constrained,
        notify_by=notify_by,
        reasons=reasons,
        air_component=air,
    )
