"""The demo forum: the dialogue announced in Minsk on 30 January 2025, built through the real
actions on a simulated clock (DESIGN.md §3), so its log verifies and replays like any other.

The story is told as the acts of its parties, neutrally: Belarus and Russia found a forum for
dialogue and security in Eurasia and invite Eurasian states to co-author a "Eurasian Charter of
Diversity and Multipolarity"; Hungary, Kazakhstan and China answer with interest and later
accept; Poland, Lithuania, Latvia, Bulgaria and Romania are invited, and the European Union as an
organisation; Belarus holds the chair. The log's origin says it is a demo. The parties
adopt a rules amendment that lets the secretariat describe the forum, and it gives the forum's
name and purpose in Russian and English. Each later app adds its chapter after these
(``demo_chapter``): the charter's grants its acts by a second amendment and negotiates the
draft Charter up to its second revision (``accord.charter.demo``); the conference's holds the
first Minsk conference in October 2026 and schedules the second (``accord.dialogue.demo``);
and, told last, the chair puts the draft Charter under a silence still open.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db import transaction

from accord.forum import actions, founding, queries
from accord.forum.actions import Actor
from accord.forum.acts import DESCRIBE
from accord.forum.founding import ForumFile
from accord.forum.profile import Profile
from accord.forum.queries import DEMO_ORIGIN
from accord.ledger import actions as ledger_actions
from accord.ledger.errors import NotAllowed
from accord.ledger.models import LogState
from accord.lib import clock

ORIGIN = DEMO_ORIGIN
START = datetime(2025, 1, 30, 9, 0, tzinfo=UTC)

FORUM_TOML = f"""
[forum]
name = "Forum for Dialogue and Security in Eurasia (demo)"
origin = "{ORIGIN}"
languages = ["ru", "en"]
symbol_prefix = "FDSE"
decision_rule = "consensus"
chair = "BY"

[[party]]
code = "BY"
name = "Belarus"

[[party]]
code = "RU"
name = "Russia"
"""

INTERESTED = (("HU", "Hungary"), ("KZ", "Kazakhstan"), ("CN", "China"))
ALSO_INVITED = (
    ("PL", "Poland"),
    ("LT", "Lithuania"),
    ("LV", "Latvia"),
    ("BG", "Bulgaria"),
    ("RO", "Romania"),
)
CHARTER_INVITATION = (
    "Belarus and Russia invite Eurasian states to co-author a Eurasian Charter of Diversity and "
    "Multipolarity, and to a conference on Eurasian security in Minsk."
)

NAME = {
    "ru": "Форум по диалогу и безопасности в Евразии (демо)",
    "en": "Forum for Dialogue and Security in Eurasia (demo)",
}
PURPOSE = {
    "ru": (
        "Форум для диалога и безопасности в Евразии. Его участники вместе готовят Евразийскую "
        "хартию многообразия и многополярности."
    ),
    "en": (
        "A forum for dialogue and security in Eurasia. Its parties co-author a Eurasian Charter "
        "of Diversity and Multipolarity."
    ),
}
MEMBERS = ("BY", "RU", *(code for code, _name in INTERESTED))


FOUNDED_WITH = ("forum.", "ledger.")
"""The apps whose kinds Accord's standard profile granted when the demo's history began."""
GRANTED_LATER = (DESCRIBE.kind, "ledger.witness.registered", "ledger.witness.removed")
"""Kinds of those apps that the standard profile granted only later."""


class _FoundedBefore(ForumFile):
    """The demo's FORUM.toml with the rules its history was founded under: only the forum's
    and the ledger's kinds as they were then, so none of ``forum.described`` nor any app added
    since (the charter, and the apps after it), and no app's own section. Its first entries
    stay byte for byte what they were, and the story gains each later grant the way any
    existing forum does, by amendment."""

    def rules(self) -> Profile:
        standard = super().rules()
        may = {
            kind: grants
            for kind, grants in standard.may.items()
            if kind.startswith(FOUNDED_WITH) and kind not in GRANTED_LATER
        }
        return standard.model_copy(update={"may": may, "sections": {}})


def _agree(actor: Actor, proposal: list[int]) -> None:
    actions.agree_profile(actor, proposal[0])


def _describable(profile: Profile, version: int) -> Profile:
    may = {**profile.may, DESCRIBE.kind: DESCRIBE.default_may()}
    return profile.model_copy(update={"version": version + 1, "may": may})


Chapter = Callable[[Callable[[datetime], None], datetime], Iterator[Callable[[], object]]]
"""An app's part of the story: given how to move the calendar to a day and the moment the
demo is built, its acts in order."""
CHAPTERS: list[tuple[str, Chapter]] = []
LAST_CHAPTERS: list[tuple[str, Chapter]] = []
"""The chapters told after all the others (in the order they register): the act dated at the
present, which must stay the demo's last, is told in one of these."""


def demo_chapter(
    name: str, *, last: bool = False, before: str | None = None
) -> Callable[[Chapter], Chapter]:
    """Register an app's chapter of the demo, told after the forum's and the chapters before
    it (in the order the apps load), or, ``last``, after every chapter that is not, or right
    ``before`` a chapter registered already (a chapter's place in time need not be its app's
    place in the load order); the forum imports no app that tells one."""

    def register(chapter: Chapter) -> Chapter:
        if any(known == name for known, _chapter in (*CHAPTERS, *LAST_CHAPTERS)):
            raise RuntimeError(f"the demo chapter {name} is registered twice")
        if before is not None:
            names = [known for known, _chapter in CHAPTERS]
            if before not in names:
                raise RuntimeError(f"the demo chapter {name} is told before {before}, unknown")
            CHAPTERS.insert(names.index(before), (name, chapter))
            return chapter
        (LAST_CHAPTERS if last else CHAPTERS).append((name, chapter))
        return chapter

    return register


def amend_rules(amended: Callable[[Profile, int], Profile]) -> Iterator[Callable[[], object]]:
    """The chair proposes the profile in force as ``amended`` changes it, every participating
    party agrees, the chair adopts: how a forum that exists gains a later grant."""
    by_head = Actor("BY", "by.head")
    proposal: list[int] = []

    def propose() -> None:
        found = queries.profile()
        assert found is not None  # the forum was founded at the start of the story
        version, profile = found
        changed = amended(profile, version)
        proposal.append(actions.propose_profile(by_head, changed.model_dump(mode="json")).index)

    yield propose
    for code in MEMBERS:
        yield partial(_agree, Actor(code, f"{code.lower()}.head"), proposal)
    yield lambda: actions.adopt_profile(by_head, proposal[0])


@dataclass(frozen=True)
class DemoPerson:
    handle: str
    party: str
    role: str
    name: str

    @property
    def password(self) -> str:
        return f"demo-{self.handle}"


def people() -> list[DemoPerson]:
    """Every demo person: a head and a delegate for each party that ends up participating,
    a delegate for each party that is only invited (to answer), and the secretariat's registrar.
    """
    found = [DemoPerson("sec.registrar", "secretariat", "staff", "Registrar of the Secretariat")]
    for code, name in (("BY", "Belarus"), ("RU", "Russia"), *INTERESTED):
        lower = code.lower()
        found.append(DemoPerson(f"{lower}.head", code, "head", f"Head of delegation of {name}"))
        found.append(DemoPerson(f"{lower}.delegate", code, "delegate", f"Delegate of {name}"))
    for code, name in (*ALSO_INVITED, ("EU", "European Union")):
        found.append(DemoPerson(f"{code.lower()}.delegate", code, "delegate", f"Delegate, {name}"))
    return found


class Calendar:
    """The simulated clock: each act at its scripted moment, one second after the last."""

    def __init__(self) -> None:
        self.moment = START

    def on(self, day: datetime) -> None:
        self.moment = max(day, self.moment)

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def _add(person: DemoPerson) -> None:
    """The secretariat adds the account; the party accredits the person: its first head
    (or, without one, anyone) as the party itself, later people through its head."""
    actions.add_person(
        person.handle,
        party=person.party,
        role=person.role,
        email=f"{person.handle}@demo.invalid",
        name=person.name,
        password=person.password,
    )
    actions.accredit(actions.as_party(person.party), person.handle, person.role)


def _story(calendar: Calendar, present: datetime) -> Iterator[Callable[[], object]]:
    """The demo's acts in order, each a real action; the calendar moves between them. The
    forum's story, then each app's chapter, then the chapters told last; the last of those
    may date its act ``present``."""
    by_head, ru_head = Actor("BY", "by.head"), Actor("RU", "ru.head")
    cast = {person.handle: person for person in people()}
    founded = _FoundedBefore.model_validate(founding.parse(FORUM_TOML), from_attributes=True)
    yield lambda: actions.found_forum(founded)
    for handle in ("sec.registrar", "by.head", "by.delegate", "ru.head", "ru.delegate"):
        yield partial(_add, cast[handle])
    yield lambda: ledger_actions.publish_communique(
        "BY", "Towards a Eurasian Charter", CHARTER_INVITATION, by="by.head"
    )
    calendar.on(datetime(2025, 2, 12, 10, 0, tzinfo=UTC))
    for code, name in INTERESTED:
        yield partial(actions.invite, by_head, code, name)
    for code, name in ALSO_INVITED:
        yield partial(actions.invite, ru_head, code, name)
    yield lambda: actions.invite(
        by_head, "EU", "European Union", category="organisation", capacity="partner"
    )
    for person in people():
        if person.party not in ("secretariat", "BY", "RU"):
            yield partial(_add, person)
    calendar.on(datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    for code, _name in INTERESTED:
        yield partial(actions.answer, Actor(code, f"{code.lower()}.head"), "interested")
    calendar.on(datetime(2025, 10, 20, 9, 0, tzinfo=UTC))
    for code, _name in INTERESTED:
        yield partial(actions.answer, Actor(code, f"{code.lower()}.head"), "accepted")
    calendar.on(datetime(2025, 10, 28, 9, 0, tzinfo=UTC))
    yield lambda: ledger_actions.publish_communique(
        "BY",
        "Minsk conference on Eurasian security",
        "The chair opens the Minsk conference on Eurasian security to the participating parties "
        "and invites comments on a first outline of the Charter.",
        by="by.head",
    )
    calendar.on(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    yield from amend_rules(_describable)
    yield lambda: actions.describe(Actor("secretariat", "sec.registrar"), NAME, PURPOSE)
    for _name, chapter in (*CHAPTERS, *LAST_CHAPTERS):
        yield from chapter(calendar.on, present)


def build(
    progress: Callable[[int], None] | None = None, *, present: datetime | None = None
) -> bool:
    """Build the demo into this database; False (and nothing written) if it is there already.

    Refuses a database that holds another log. One transaction: an interrupted
    build leaves nothing behind. The story is simulated from 30 January 2025 up to its last
    act, which happens at ``present`` (default: now): the silence it opens then ends four
    weeks later on the real clock (``accord.charter.demo``). The second conference it
    schedules falls in the October after ``present`` (``accord.dialogue.demo``). Every other
    entry is the same bytes whenever the demo is built with the same keys and salts.
    """
    moment = clock.now() if present is None else present
    state = LogState.objects.filter(pk=1).first()
    if state is not None:
        if state.origin != ORIGIN:
            raise NotAllowed(
                f"this database holds the log {state.origin}; build the demo in another",
                "not_a_demo",
            )
        return False
    calendar = Calendar()
    with transaction.atomic(), clock.simulated(calendar):
        for done, act in enumerate(_story(calendar, moment), start=1):
            act()
            if progress is not None:
                progress(done)
    return True


# The witnesses' chapter comes first of the apps' chapters, right after the forum's story: the
# demo's entries before it stay as they were; the charter's silence, a chapter told last,
# stays the last act.
from accord.forum import witness_demo  # noqa: E402, F401
