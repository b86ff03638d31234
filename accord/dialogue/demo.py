"""The demo's conference chapter: the first Minsk Conference on Eurasian Security, held in
October 2026, and the second edition it schedules, told through the real actions.

The forum, founded before the conference, first gains its grants by a rules amendment. Belarus,
in the chair, convenes the first edition of the series for two days in Minsk (its time zone,
Europe/Minsk, is UTC+3), in English and Russian with interpretation between them: an opening
plenary, a working group on confidence-building and a closing plenary. It introduces a short
draft decision on the second conference and proposes the agenda, which links the draft Charter
and the draft decision to their items. The five participating parties name their delegations
(Hungary's led by its foreign minister) and submit credentials; the opening meeting adopts the
agenda, the chair's report accepts the credentials, and the general debate runs from the
speakers' list, with a statement in Russian and a right of reply. In the working group
Kazakhstan speaks on a restricted text. The closing plenary adopts the draft decision by
consensus and Hungary attaches an interpretative statement; the chair issues a summary and
records the follow-up, the secretariat issues the journal of each meeting, and the chair
convenes the second edition for the October after the demo is built (``present``), with an
agenda item that reviews a follow-up of the first.

Every act is dated in October 2026, after the charter's drafting and before its silence
(the demo's last act, ``accord.charter.demo.silence``); only the second edition's dates depend
on ``present``. The statements are short and neutral texts written for the demo.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial

from accord.charter import actions as charter_actions
from accord.charter.demo import TITLE as CHARTER_TITLE
from accord.charter.demo import Made, head
from accord.charter.models import Document
from accord.charter.text import Provision
from accord.dialogue import actions
from accord.dialogue.acts import DIALOGUE_ACTS
from accord.dialogue.rules import SECTION, DialogueRules
from accord.forum.actions import Actor
from accord.forum.demo import amend_rules, demo_chapter
from accord.forum.profile import Profile
from accord.ledger.submit import Accepted

SERIES = "minsk-eurasian-security"
SERIES_TITLE = "Minsk Eurasian security conference"
TITLE = "Minsk Conference on Eurasian Security"
SECOND_TITLE = "Second Minsk Conference on Eurasian Security"
CITY = "Minsk"
VENUE = "Palace of Independence"
TIME_ZONE = "Europe/Minsk"
MINSK = timedelta(hours=3)
"""Minsk's offset from UTC, which it has kept all year since 2011."""
LANGUAGES = ("en", "ru")
INTERPRETATION = ("en-ru",)
FIRST_DAY = date(2026, 10, 15)
SECOND_DAY = date(2026, 10, 16)
DECISION_TITLE = "Decision on the second Minsk conference"
SECRETARIAT = Actor("secretariat", "sec.registrar")
PARTIES = ("BY", "RU", "HU", "KZ", "CN")
"""The participating parties, each with a delegation to the first edition."""

DELEGATIONS: dict[str, list[dict[str, str]]] = {
    "BY": [
        {"handle": "by.head", "function": "head", "level": "minister"},
        {"handle": "by.delegate", "function": "alternate", "level": "ambassador"},
    ],
    "RU": [
        {"handle": "ru.head", "function": "head", "level": "minister"},
        {"handle": "ru.delegate", "function": "alternate", "level": "ambassador"},
    ],
    "HU": [
        {"handle": "hu.head", "function": "head", "level": "minister"},
        {"handle": "hu.delegate", "function": "adviser", "level": "other"},
    ],
    "KZ": [
        {"handle": "kz.head", "function": "head", "level": "ambassador"},
        {"handle": "kz.delegate", "function": "adviser", "level": "other"},
    ],
    "CN": [
        {"handle": "cn.head", "function": "head", "level": "ambassador"},
        {"handle": "cn.delegate", "function": "adviser", "level": "other"},
    ],
}
"""Who each party sends: Hungary's head is its foreign minister, at the level ``minister``."""

CREDENTIALS = {
    "BY": ("head_of_state", "formal", "2026-09-25"),
    "RU": ("foreign_minister", "note_verbale", "2026-09-28"),
    "HU": ("foreign_minister", "note_verbale", "2026-09-29"),
    "KZ": ("foreign_minister", "cable", "2026-09-30"),
    "CN": ("head_of_government", "formal", "2026-09-30"),
}
"""Each party's credentials: who issued them, in what form, and on what day."""

CREDENTIALS_REPORT = (
    "The chair has examined the credentials of the delegations of Belarus, China, Hungary,"
    " Kazakhstan and Russia to the Minsk Conference on Eurasian Security. They were issued by a"
    " head of state, a head of government or a minister for foreign affairs, and are in order."
)

DECISION = (
    Provision(
        "recs__rec_1",
        "recital",
        text="Having held the first Minsk Conference on Eurasian Security on 15 and 16 October"
        " 2026,",
    ),
    Provision("para_1", "paragraph", "1.", text="Decides to hold a second conference in Minsk."),
    Provision(
        "para_2",
        "paragraph",
        "2.",
        text="Invites the chair to propose its dates and agenda, including a review of the"
        " follow-up of the first conference.",
    ),
)
"""The short draft decision Belarus introduces for the closing plenary."""

INTERPRETATION_STATEMENT = (
    "Hungary joins the consensus on the understanding that the second conference will be open"
    " on an equal footing to every participating State of the Forum."
)

STATEMENTS = {
    "BY": (
        "Opening statement",
        "en",
        (
            "Belarus welcomes the delegations to Minsk. Security in Eurasia concerns every State of"
            " the continent, and this conference is a place to discuss it openly and with respect."
        ),
    ),
    "RU": (
        "Выступление в общих прениях",
        "ru",
        (
            "Россия благодарит Беларусь за организацию конференции. Мы готовы к равноправному"
            " диалогу о безопасности в Евразии и к совместной работе над проектом хартии."
        ),
    ),
    "HU": (
        "Statement in the general debate",
        "en",
        (
            "Hungary sees the conference as a channel of dialogue that should stay open to all."
            " We propose that the working group draws up a list of practical confidence measures."
        ),
    ),
    "KZ": (
        "Statement in the general debate",
        "en",
        (
            "Kazakhstan supports regular consultations among the participating States and offers"
            " to prepare an overview of existing confidence-building measures in the region."
        ),
    ),
    "CN": (
        "Statement in the general debate",
        "en",
        (
            "China values dialogue and cooperation on an equal footing and supports the further"
            " work on the draft Charter within the Forum."
        ),
    ),
}
"""The general debate's statements (title, language, text): Russia's is in Russian."""

RUSSIAN_IN_ENGLISH = (
    "Russia thanks Belarus for organising the conference. We are ready for a dialogue on"
    " security in Eurasia among equals and for joint work on the draft Charter."
)
REPLY = (
    "Russia takes note of Hungary's proposal and agrees that the working group may consider a"
    " list of practical measures, to be adopted only by consensus."
)
RESTRICTED = (
    "Kazakhstan circulates to the participating States a first outline of an overview of"
    " confidence-building measures, for discussion in the working group only."
)
WORKING_GROUP_CN = (
    "China supports a step-by-step approach to confidence-building and is ready to share its"
    " experience with the participating States."
)
SUMMARY = (
    "The chair's summary, issued under its own responsibility. The first Minsk Conference on"
    " Eurasian Security met on 15 and 16 October 2026 with the delegations of five"
    " participating States. The general debate showed broad interest in regular consultations"
    " and in practical confidence-building measures. The working group heard a first outline"
    " of an overview of such measures. The conference decided to hold a second conference in"
    " Minsk."
)
RECOMMENDATION = (
    "Prepare an overview of the confidence-building measures in force among the participating"
    " States for the second conference."
)
COMMITMENT = "Host the second conference in Minsk and propose its dates and agenda."


def amended_rules(profile: Profile, version: int) -> Profile:
    """The profile a forum founded before the conference adopts to gain it: every conference
    act's default grants and the conference's own section at its defaults."""
    may = {**profile.may, **{act.kind: act.default_may() for act in DIALOGUE_ACTS}}
    sections = {**profile.sections, SECTION: DialogueRules().model_dump()}
    return profile.model_copy(update={"version": version + 1, "may": may, "sections": sections})


def at(moment: datetime) -> str:
    """A meeting's time as a body gives it: RFC 3339 in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def minsk(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` in Minsk on ``day``, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - MINSK


def second_first_day(present: datetime) -> date:
    """The second edition opens on the first 15 October after ``present``."""
    day = date(present.year, 10, 15)
    return day if day > present.date() else date(present.year + 1, 10, 15)


def _charter_draft() -> int:
    return Document.objects.values_list("entry_index", flat=True).get(title=CHARTER_TITLE)


MEETINGS = {
    "opening": ("Opening plenary", FIRST_DAY, 10, 13, "Plenary Hall", "plenary"),
    "working": (
        "Working group on confidence-building",
        FIRST_DAY,
        15,
        18,
        "Room 2",
        "working_group",
    ),
    "closing": ("Closing plenary", SECOND_DAY, 10, 13, "Plenary Hall", "plenary"),
}
"""Each meeting of the first edition: title, day, hours in Minsk, room and format."""


@demo_chapter("dialogue")
def story(on: Callable[[datetime], None], present: datetime) -> Iterator[Callable[[], object]]:
    """The conference's acts in order; ``on`` moves the demo's calendar to a day, and the
    second edition is scheduled for the October after ``present``."""
    made = Made()
    on(datetime(2026, 9, 14, 9, 0, tzinfo=UTC))
    yield from amend_rules(amended_rules)
    on(datetime(2026, 9, 15, 9, 0, tzinfo=UTC))
    yield from _convened(made)
    on(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    for code in PARTIES:
        yield partial(_delegation, made, code)
    for code in PARTIES:
        yield partial(_credentials, made, code)
    on(minsk(FIRST_DAY, 10, 5))
    yield from _opening(made)
    on(minsk(FIRST_DAY, 15, 5))
    yield from _working_group(made)
    closing = minsk(SECOND_DAY, 10, 5)
    on(closing)
    yield made.keep(
        "question",
        lambda: actions.ask(
            head("BY"), made["closing"], "4", document=made["decision"], revision=0
        ),
    )
    on(closing + timedelta(minutes=12))
    yield made.keep("adopted", lambda: actions.declare(head("BY"), made["question"]))
    yield lambda: charter_actions.interpret(head("HU"), made["adopted"], INTERPRETATION_STATEMENT)
    on(closing + timedelta(minutes=40))
    yield from _outcomes(made)
    on(minsk(SECOND_DAY, 14, 0))
    for meeting in ("opening", "working", "closing"):
        yield partial(_journal, made, meeting)
    yield from _second_edition(made, second_first_day(present))


def _convened(made: Made) -> Iterator[Callable[[], object]]:
    """The draft decision, the edition, its meetings and its proposed agenda."""
    yield made.keep(
        "decision",
        lambda: charter_actions.introduce(
            head("BY"), DECISION_TITLE, "en", charter_actions.provisions_of(DECISION)
        ),
    )
    yield made.keep(
        "edition",
        lambda: actions.create(
            head("BY"),
            series=SERIES,
            series_title=SERIES_TITLE,
            title=TITLE,
            city=CITY,
            venue=VENUE,
            time_zone=TIME_ZONE,
            starts_on=FIRST_DAY.isoformat(),
            ends_on=(SECOND_DAY).isoformat(),
            chair="BY",
            languages=LANGUAGES,
        ),
    )
    for name in MEETINGS:
        yield made.keep(name, partial(_meeting, made, name))
    yield lambda: actions.propose_agenda(
        head("BY"),
        made["edition"],
        [
            {"number": "1", "title": "Opening of the conference and adoption of the agenda"},
            {"number": "2", "title": "Security in Eurasia: general debate"},
            {
                "number": "3",
                "title": "The draft Eurasian Charter of Diversity and Multipolarity",
                "documents": [_charter_draft()],
            },
            {"number": "3.1", "title": "Confidence-building measures"},
            {
                "number": "4",
                "title": "The second Minsk conference",
                "documents": [made["decision"]],
            },
            {"number": "5", "title": "Closing of the conference"},
        ],
    )


def _meeting(made: Made, name: str) -> Accepted:
    title, day, opens, closes, room, form = MEETINGS[name]
    who = SECRETARIAT if form == "working_group" else head("BY")
    return actions.add_meeting(
        who,
        made["edition"],
        title=title,
        starts_at=at(minsk(day, opens)),
        ends_at=at(minsk(day, closes)),
        room=room,
        format=form,
        languages=LANGUAGES,
        interpretation=INTERPRETATION,
    )


def _delegation(made: Made, code: str) -> Accepted:
    return actions.name_delegation(head(code), made["edition"], DELEGATIONS[code])


def _credentials(made: Made, code: str) -> Accepted:
    issuer, instrument, dated = CREDENTIALS[code]
    return actions.submit_credentials(
        head(code), made["edition"], issuer=issuer, instrument=instrument, dated=dated
    )


def _floor(made: Made) -> Accepted:
    return actions.give_floor(head("BY"), made["opening"], "2")


def _speak(made: Made, code: str) -> list[Accepted]:
    title, language, text = STATEMENTS[code]
    versions = {"en": RUSSIAN_IN_ENGLISH} if code == "RU" else {}
    return actions.circulate_and_deliver(
        head(code),
        made["opening"],
        "2",
        title=title,
        language=language,
        text=text,
        versions=versions,
        speaker=f"{code.lower()}.head",
    )


def _opening(made: Made) -> Iterator[Callable[[], object]]:
    """The agenda adopted, the credentials accepted, and the general debate: every head
    inscribed, the ministers first, then the ambassadors; Russia's right of reply to Hungary."""
    yield lambda: actions.adopt_agenda(head("BY"), made["edition"], made["opening"])
    yield lambda: actions.accept_credentials(
        head("BY"), made["edition"], parties=PARTIES, report=CREDENTIALS_REPORT
    )
    yield lambda: actions.open_list(head("BY"), made["opening"], "2")
    for code in PARTIES:
        speaker = f"{code.lower()}.head"
        yield partial(actions.inscribe, head(code), made["opening"], "2", speaker=speaker)
    yield lambda: actions.close_list(head("BY"), made["opening"], "2")
    for code in PARTIES:
        yield partial(_floor, made)
        yield partial(_speak, made, code)
    yield lambda: actions.reply(head("RU"), made["opening"], "2", to="HU", speaker="ru.delegate")
    yield partial(_floor, made)
    yield lambda: actions.circulate_and_deliver(
        head("RU"),
        made["opening"],
        "2",
        title="Right of reply",
        language="en",
        text=REPLY,
        speaker="ru.delegate",
    )


def _working_group(made: Made) -> Iterator[Callable[[], object]]:
    """Kazakhstan's outline, restricted to the participating parties, and China's statement."""
    meeting = made["working"]
    yield lambda: actions.open_list(head("BY"), meeting, "3.1")
    yield lambda: actions.inscribe(head("KZ"), meeting, "3.1", speaker="kz.head")
    yield lambda: actions.inscribe(head("CN"), meeting, "3.1", speaker="cn.delegate")
    yield lambda: actions.give_floor(head("BY"), meeting, "3.1")
    yield lambda: actions.circulate_and_deliver(
        head("KZ"),
        meeting,
        "3.1",
        title="Outline of an overview of confidence-building measures",
        language="en",
        text=RESTRICTED,
        distribution="restricted",
        speaker="kz.head",
    )
    yield lambda: actions.give_floor(head("BY"), meeting, "3.1")
    yield lambda: actions.circulate_and_deliver(
        head("CN"),
        meeting,
        "3.1",
        title="On confidence-building",
        language="en",
        text=WORKING_GROUP_CN,
        speaker="cn.delegate",
    )


def _outcomes(made: Made) -> Iterator[Callable[[], object]]:
    """The chair's summary and the follow-up: Kazakhstan's overview, Belarus's hosting."""
    yield lambda: actions.issue_summary(
        head("BY"), made["edition"], title="Chair's summary", language="en", text=SUMMARY
    )
    yield made.keep(
        "overview",
        lambda: actions.record_followup(
            head("BY"), made["edition"], category="recommendation", text=RECOMMENDATION, owner="KZ"
        ),
    )
    yield made.keep(
        "hosting",
        lambda: actions.record_followup(
            head("BY"), made["edition"], category="commitment", text=COMMITMENT, owner="BY"
        ),
    )
    yield lambda: actions.update_followup(
        head("KZ"),
        made["overview"],
        status="in_progress",
        evidence="A first outline was presented to the working group.",
    )


def _journal(made: Made, meeting: str) -> Accepted:
    return actions.issue_journal(SECRETARIAT, made[meeting])


def _second_edition(made: Made, first_day: date) -> Iterator[Callable[[], object]]:
    """The chair convenes the second edition, its opening meeting and a proposed agenda that
    reviews Kazakhstan's overview."""
    yield made.keep(
        "second",
        lambda: actions.create(
            head("BY"),
            series=SERIES,
            series_title=SERIES_TITLE,
            title=SECOND_TITLE,
            city=CITY,
            venue=VENUE,
            time_zone=TIME_ZONE,
            starts_on=first_day.isoformat(),
            ends_on=(first_day + timedelta(days=1)).isoformat(),
            chair="BY",
            languages=LANGUAGES,
        ),
    )
    yield lambda: actions.add_meeting(
        head("BY"),
        made["second"],
        title="Opening plenary",
        starts_at=at(minsk(first_day, 10)),
        ends_at=at(minsk(first_day, 13)),
        room="Plenary Hall",
        languages=LANGUAGES,
        interpretation=INTERPRETATION,
    )
    yield lambda: actions.propose_agenda(
        head("BY"),
        made["second"],
        [
            {"number": "1", "title": "Opening of the conference and adoption of the agenda"},
            {
                "number": "2",
                "title": "Review of the follow-up of the first conference",
                "followups": [made["overview"]],
            },
            {"number": "3", "title": "Closing of the conference"},
        ],
    )
