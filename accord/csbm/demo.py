"""The demo's CSBM chapter: the demo forum's first year under its confidence- and
security-building regime, 2026, told through the real actions.

The forum, founded before the regime, first adopts it by a rules amendment: every CSBM act's
default grants and the ``csbm`` section at Accord's Vienna-Document-like defaults. The five
participating parties (Belarus, Russia, Hungary, Kazakhstan and China) then exchange their
military information for 2026 and their annual calendars; as the regime was adopted only in
January, after the profile's days for both (15 December and 15 November of 2025), the
compliance picture shows these first exchanges as late, which is what the log says. Belarus and
Russia give their points of contact in general communications in Russian, made public;
Kazakhstan and China send restricted ones in English. Five exercises are notified in advance,
each under a neutral designation written for the demo: Russia's command-post exercise and its
larger field exercise (above the observation thresholds, observers invited), Belarus's field
exercise (corrected two weeks later by a notification that supersedes it), a voluntary
notification by Hungary below every threshold, and Kazakhstan's exercise in September.
Hungary asks Belarus to explain an unscheduled movement of armoured units; Belarus replies
within the 48 hours, Hungary asks for a bilateral meeting and, after it, closes the
consultation. Kazakhstan inspects the area of Russia's field exercise, within the quota: Russia
accepts within the day and Kazakhstan reports to every party.

Every notification is restricted to its recipients unless said otherwise (the two points of
contact are public). Most recipients acknowledge within hours; the scheduler
(``accord.csbm.actions.conclude_due``) runs an hour after each deadline and records, as the
secretariat, who had not acknowledged; some of those acknowledge a day later (late), and four
never do. The acts are planned on their own dates and told in date order, so nothing waits for
a deadline that has not passed.

Where the chapter sits: the csbm app loads after the conference's, but its year, January to
August 2026, lies between the charter's drafting (which ends on 22 December 2025) and the
conference's rules amendment (14 September 2026). The chapter registers as any other and is
then told right before the conference's chapter (``_told_before``), so the demo's clock, which
only moves forward, passes through its dates in order; the conference and the silence told
last keep their own dates, and only the entries after the charter's change.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from accord.charter.demo import Made
from accord.csbm import actions
from accord.csbm.acts import CSBM_ACTS
from accord.csbm.rules import SECTION, CsbmRules, due
from accord.forum.actions import Actor
from accord.forum.demo import amend_rules, demo_chapter
from accord.forum.profile import Profile
from accord.ledger.submit import Accepted

YEAR = 2026
PARTIES = ("BY", "RU", "HU", "KZ", "CN")
"""The participating parties, each sending and receiving notifications."""
NAMES = {
    "BY": ("Belarus", "Беларусь"),
    "RU": ("Russia", "Россия"),
    "HU": ("Hungary", "Венгрия"),
    "KZ": ("Kazakhstan", "Казахстан"),
    "CN": ("China", "Китай"),
}
"""Each party's name in English (as the demo forum lists it) and in Russian."""
ADOPTED = datetime(YEAR, 1, 12, 9, 0, tzinfo=UTC)
"""When the chair proposes the regime: after the charter's drafting, a Monday."""


def amended_rules(profile: Profile, version: int) -> Profile:
    """The profile a forum founded before the regime adopts to gain it: every CSBM act's
    default grants and the ``csbm`` section at Accord's defaults."""
    may = {**profile.may, **{act.kind: act.default_may() for act in CSBM_ACTS}}
    sections = {**profile.sections, SECTION: CsbmRules().model_dump()}
    return profile.model_copy(update={"version": version + 1, "may": may, "sections": sections})


def head(code: str) -> Actor:
    return Actor(code, f"{code.lower()}.head")


def delegate(code: str) -> Actor:
    return Actor(code, f"{code.lower()}.delegate")


def others(code: str) -> tuple[str, ...]:
    return tuple(party for party in PARTIES if party != code)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(YEAR, month, day, hour, minute, tzinfo=UTC)


Payload = dict[str, Any] | Callable[[Made], dict[str, Any]]


@dataclass(frozen=True)
class Sent:
    """One notification of the year: who sends it, when, to whom (as its format decides),
    and which recipients acknowledge it late (after the scheduler recorded the miss) or
    never; every other recipient acknowledges within hours."""

    key: str
    sender: str
    format: str
    payload: Payload
    moment: datetime
    to: tuple[str, ...]
    late: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    distribution: str = "restricted"

    def body(self, made: Made) -> dict[str, Any]:
        return self.payload(made) if callable(self.payload) else self.payload


# -- the annual exchange of military information (VD2011 Ch. I) -------------------------------

GARRISONS = {
    "BY": ("53.90", "27.56"),
    "RU": ("55.75", "37.62"),
    "HU": ("47.50", "19.04"),
    "KZ": ("51.17", "71.45"),
    "CN": ("39.90", "116.40"),
}
"""A point near each party's capital, from which its demo units' positions are offset."""

FORMATIONS = {
    "BY": ("Operational Command West", "Operational Command North-West"),
    "RU": ("Combined Arms Army A", "Combined Arms Army B", "Army Corps C"),
    "HU": ("Land Component Command",),
    "KZ": ("Regional Command East", "Regional Command South"),
    "CN": ("Group Army A",),
}
"""The formations each party reports, named neutrally for the demo; two brigades under each."""


def _unit(code: str, formation: str, number: int, n: int) -> dict[str, Any]:
    lat, lon = GARRISONS[code]
    return {
        "designation": f"{formation}, Mechanised Brigade {number}",
        "level": "unit",
        "subordination": formation,
        "location": f"Garrison {number}",
        "coordinates": {"lat": f"{float(lat) + 0.3 * n:.2f}", "lon": f"{float(lon) - 0.4 * n:.2f}"},
        "personnel": 3200 + 150 * n,
        "holdings": {"battle_tanks": 41, "acv": 120, "artillery": 36, "atgm_launchers": 18},
    }


def exchange(code: str) -> dict[str, Any]:
    """The party's exchange for 2026: each formation and two brigades under it."""
    units: list[dict[str, Any]] = []
    lat, lon = GARRISONS[code]
    for index, formation in enumerate(FORMATIONS[code]):
        units.append(
            {
                "designation": formation,
                "level": "formation",
                "location": "Headquarters",
                "coordinates": {"lat": lat, "lon": lon},
                "personnel": 900,
            }
        )
        units += [_unit(code, formation, 2 * index + n, len(units) + n) for n in (1, 2)]
    return {"year": YEAR, "units": units}


# -- the activities, planned (Ch. VII) and notified (Ch. V) ------------------------------------

ACTIVITIES: dict[str, dict[str, Any]] = {
    "RU-26-2": {
        "designation": "Command-post exercise RU-26-2",
        "purpose": "Command and control of an army group in defence, with field troops.",
        "kind": "land_exercise",
        "starts_on": "2026-05-18",
        "ends_on": "2026-05-22",
        "area": "Training areas of the western military district",
        "forces": {"troops": 9200, "battle_tanks": 120, "acv": 300, "artillery": 90},
    },
    "RU-26-1": {
        "designation": "Combined field exercise RU-26-1",
        "purpose": "Joint action of ground and air forces in a defensive operation.",
        "kind": "land_exercise",
        "starts_on": "2026-08-17",
        "ends_on": "2026-08-26",
        "area": "Training areas of the western military district",
        "forces": {
            "troops": 13500,
            "battle_tanks": 310,
            "acv": 520,
            "artillery": 180,
            "air_sorties": 150,
        },
    },
    "BY-26-1": {
        "designation": "Field training exercise BY-26-1",
        "purpose": "Training of mechanised brigades in defence and counter-attack.",
        "kind": "land_exercise",
        "starts_on": "2026-06-08",
        "ends_on": "2026-06-14",
        "area": "Training grounds of the western operational command",
        "forces": {"troops": 9500, "battle_tanks": 130, "acv": 340, "artillery": 96},
    },
    "KZ-26-1": {
        "designation": "Field exercise KZ-26-1",
        "purpose": "Regional commands' planning and conduct of a defensive operation.",
        "kind": "land_exercise",
        "starts_on": "2026-09-21",
        "ends_on": "2026-09-26",
        "area": "Training grounds of the eastern regional command",
        "forces": {"troops": 9100, "battle_tanks": 90, "acv": 260, "artillery": 110},
    },
}
"""The year's notifiable activities, as their calendars plan them."""

PLANNED = {"BY": ("BY-26-1",), "RU": ("RU-26-2", "RU-26-1"), "KZ": ("KZ-26-1",)}
"""Whose calendar lists which activities; Hungary's and China's are nil returns."""


def calendar(code: str) -> dict[str, Any]:
    planned = [ACTIVITIES[name] for name in PLANNED.get(code, ())]
    if not planned:
        # "activities" is written out though empty: the prior notification's calendar check
        # reads it from the sealed payload as sent.
        return {"year": YEAR, "nil_return": True, "activities": []}
    return {"year": YEAR, "activities": planned}


def prior(name: str, **changes: Any) -> dict[str, Any]:
    """The prior notification of a planned activity, with the fields the calendar lacks."""
    sender = name[:2]
    return {
        **ACTIVITIES[name],
        "states_involved": [sender],
        "command_level": "Operational command",
        "brigades_regiments": 3,
        "phases": [
            {
                "starts_on": ACTIVITIES[name]["starts_on"],
                "ends_on": ACTIVITIES[name]["starts_on"],
                "description": "Deployment to the training area",
            }
        ],
        **changes,
    }


VOLUNTARY = {
    "designation": "Field training exercise HU-26-V",
    "purpose": "Training of a mechanised battalion group with allied observers.",
    "kind": "land_exercise",
    "states_involved": ["HU"],
    "command_level": "Brigade",
    "starts_on": "2026-06-22",
    "ends_on": "2026-06-25",
    "area": "Training ground in the central region",
    "forces": {"troops": 3000, "battle_tanks": 30, "acv": 90, "artillery": 24},
    "voluntary": True,
}
"""Hungary's notification below every threshold, given of its own accord."""


def _corrected(made: Made) -> dict[str, Any]:
    """Belarus's correction: two more days and more troops, superseding its notification."""
    forces = {"troops": 9800, "battle_tanks": 140, "acv": 340, "artillery": 96}
    return prior("BY-26-1", ends_on="2026-06-16", forces=forces, supersedes=made["BY-26-1"])


# -- general communications (Ch. XII) -----------------------------------------------------------


def general(subject: str, text: str, dated: str) -> dict[str, Any]:
    return {"subject": subject, "text": text, "category": "information", "dated": dated}


CONTACT_BY = general(
    "Контактный пункт",
    "Беларусь сообщает участникам форума, что её национальный центр проверки принимает"
    " уведомления круглосуточно и отвечает на них в течение рабочего дня.",
    "2026-01-14",
)
CONTACT_RU = general(
    "Контактный пункт",
    "Россия сообщает участникам форума, что уведомления для неё направляются в её"
    " национальный центр проверки, который работает круглосуточно.",
    "2026-02-04",
)
HOLIDAYS_KZ = general(
    "Public holidays",
    "Kazakhstan informs the participating parties that its verification centre answers with a"
    " delay of one working day from 21 to 23 March, its public holidays.",
    "2026-02-11",
)
CALENDAR_CN = general(
    "Nil calendar",
    "China informs the participating parties that it plans no notifiable military activity in"
    " 2026 and will notify any activity it decides on later.",
    "2026-05-27",
)


# -- the consultation (Ch. III §16) and the inspection (Ch. IX) -----------------------------------

CLARIFICATION = {
    "requested_state": "BY",
    "activity": "Movement of armoured units outside their normal peacetime locations",
    "location": "West of the capital, towards the western border",
    "reasons": "Hungary observed the movement on 5 and 6 March; it is in no calendar or"
    " notification, and Hungary asks Belarus for an explanation.",
}


def _clarified(made: Made) -> dict[str, Any]:
    return {
        "in_reply_to": made["consultation"],
        "reply": "Belarus explains that two tank battalions took part in a short-notice readiness"
        " check below every threshold of notification, and returned to their garrisons on"
        " 8 March.",
    }


def _meeting(made: Made) -> dict[str, Any]:
    return {
        "in_reply_to": made["consultation"],
        "proposed_place": "Minsk",
        "agenda": "The readiness check of 5 to 8 March and how such checks are announced.",
    }


INSPECTION = {
    "receiving_state": "RU",
    "specified_area": "The training areas of the combined field exercise RU-26-1",
    "point_of_entry": "The airport nearest the training areas",
    "reasons": "To see the forces of the exercise as notified.",
    "team_size": 4,
    "modes": ["ground", "air"],
}


def _accepted(made: Made) -> dict[str, Any]:
    return {"in_reply_to": made["inspection"], "accepted": True}


def _reported(made: Made) -> dict[str, Any]:
    return {
        "in_reply_to": made["inspection"],
        "findings": "The team saw the forces of the combined field exercise RU-26-1 in the"
        " specified area on 19 and 20 August, as notified; it thanks Russia's escort team.",
    }


def _year() -> list[Sent]:
    """Every notification of the year, with its date and who acknowledges it late or never."""
    late_exchange = {"HU": ("CN",), "RU": ("KZ",)}
    return [
        Sent(
            "contact-BY",
            "BY",
            "general-communication",
            CONTACT_BY,
            at(1, 14),
            others("BY"),
            late=("HU",),
            distribution="public",
        ),
        *(
            Sent(
                f"exchange-{code}",
                code,
                "annual-exchange",
                exchange(code),
                at(1, 19, 9, n),
                others(code),
                late=late_exchange.get(code, ()),
                never=("HU",) if code == "CN" else (),
            )
            for n, code in enumerate(PARTIES)
        ),
        *(
            Sent(
                f"calendar-{code}",
                code,
                "annual-calendar",
                calendar(code),
                at(1, 26, 9, n),
                others(code),
                late=("CN",) if code == "BY" else (),
                never=("RU",) if code == "KZ" else (),
            )
            for n, code in enumerate(PARTIES)
        ),
        Sent(
            "contact-RU",
            "RU",
            "general-communication",
            CONTACT_RU,
            at(2, 4),
            others("RU"),
            distribution="public",
        ),
        Sent(
            "holidays-KZ",
            "KZ",
            "general-communication",
            HOLIDAYS_KZ,
            at(2, 11),
            others("KZ"),
            never=("CN",),
        ),
        Sent(
            "consultation",
            "HU",
            "clarification-request",
            CLARIFICATION,
            at(3, 9),
            others("HU"),
            late=("CN",),
        ),
        Sent(
            "clarified",
            "BY",
            "clarification-reply",
            _clarified,
            at(3, 10, 14),
            others("BY"),
            late=("KZ",),
        ),
        Sent("meeting", "HU", "bilateral-meeting-request", _meeting, at(3, 12), ("BY",)),
        Sent(
            "RU-26-2",
            "RU",
            "prior-notification",
            prior("RU-26-2"),
            at(3, 30),
            others("RU"),
            late=("HU",),
        ),
        Sent(
            "BY-26-1",
            "BY",
            "prior-notification",
            prior("BY-26-1"),
            at(4, 6),
            others("BY"),
            late=("KZ",),
        ),
        Sent("BY-26-1 corrected", "BY", "prior-notification", _corrected, at(4, 20), others("BY")),
        Sent(
            "HU-26-V",
            "HU",
            "prior-notification",
            VOLUNTARY,
            at(5, 4),
            others("HU"),
            late=("RU",),
            never=("CN",),
        ),
        Sent(
            "calendar-CN",
            "CN",
            "general-communication",
            CALENDAR_CN,
            at(5, 27),
            others("CN"),
            late=("BY",),
        ),
        Sent(
            "RU-26-1",
            "RU",
            "prior-notification",
            prior("RU-26-1", observers_invited=True),
            at(6, 29),
            others("RU"),
            late=("BY",),
        ),
        Sent(
            "KZ-26-1",
            "KZ",
            "prior-notification",
            prior("KZ-26-1"),
            at(7, 27),
            others("KZ"),
            late=("HU",),
        ),
        Sent("inspection", "KZ", "inspection-request", INSPECTION, at(8, 18), ("RU",)),
        Sent("inspected", "RU", "inspection-reply", _accepted, at(8, 18, 15), ("KZ",)),
        Sent(
            "reported", "KZ", "inspection-report", _reported, at(8, 31), others("KZ"), late=("CN",)
        ),
    ]


CLOSED = at(3, 24)
"""When Hungary, after the bilateral meeting, closes the consultation."""
PROMPT = (timedelta(hours=2), timedelta(hours=4), timedelta(hours=23), timedelta(hours=26))
"""How long after a notification its prompt recipients acknowledge, in the order of PARTIES."""
SCHEDULER = timedelta(hours=1)
"""How long after a deadline the scheduler's round that records it runs."""


def _notify(made: Made, sent: Sent) -> list[Accepted]:
    accepted = actions.notify(
        head(sent.sender),
        format=sent.format,
        payload=sent.body(made),
        distribution=sent.distribution,
    )
    made.entries[sent.key] = accepted[-1].index
    return accepted


def _acknowledge(made: Made, key: str, code: str) -> Accepted:
    return actions.acknowledge(delegate(code), made[key])


def _conclude(moment: datetime) -> list[str]:
    return actions.conclude_due(moment)


def _close(made: Made) -> Accepted:
    return actions.close_case(
        head("HU"),
        made["consultation"],
        outcome="meeting_held",
        note="Hungary and Belarus met in Minsk on 19 March; Hungary is satisfied.",
    )


Planned = tuple[datetime, int, Callable[[], object]]


def _planned(made: Made) -> list[Planned]:
    """Every act of the year with its moment, in the order they happen (ties keep the order
    they were planned in)."""
    rules = CsbmRules()
    within, working = rules.acknowledgement.within, rules.acknowledgement
    acts: list[tuple[datetime, Callable[[], object]]] = []
    for sent in _year():
        acts.append((sent.moment, partial(_notify, made, sent)))
        deadline = due(sent.moment, within, working)
        prompt = [code for code in sent.to if code not in (*sent.late, *sent.never)]
        for code, after in zip(prompt, PROMPT, strict=False):
            acts.append((sent.moment + after, partial(_acknowledge, made, sent.key, code)))
        if sent.late or sent.never:
            concluded = deadline + SCHEDULER
            acts.append((concluded, partial(_conclude, concluded)))
        for n, code in enumerate(sent.late):
            later = deadline + timedelta(days=1, hours=n)
            acts.append((later, partial(_acknowledge, made, sent.key, code)))
    acts.append((CLOSED, partial(_close, made)))
    ordered = sorted(enumerate(acts), key=lambda item: (item[1][0], item[0]))
    return [(moment, n, act) for n, (moment, act) in ordered]


@demo_chapter("csbm", before="dialogue")
def story(on: Callable[[datetime], None], present: datetime) -> Iterator[Callable[[], object]]:
    """The regime's adoption, then the year's acts in date order; ``on`` moves the demo's
    calendar to each act's moment. Nothing depends on ``present``."""
    del present
    on(ADOPTED)
    yield from amend_rules(amended_rules)
    made = Made()
    for moment, _n, act in _planned(made):
        on(moment)
        yield act
