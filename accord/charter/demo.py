"""The demo's charter chapter: the draft Eurasian Charter of Diversity and Multipolarity and
the acts by which the demo's parties negotiate it, told through the real actions.

The text is a short, neutral draft of principles written for the demo (sovereign equality,
indivisible security, non-interference, dialogue, confidence-building, diversity and
multipolarity, final provisions), in English as its original and in Russian as given by the
secretariat and then by Russia as the text changes.

The story runs on the demo's simulated 2025 calendar: Belarus introduces the draft, four
parties amend it, co-sponsor, object and change their minds, the chair issues Rev.1 (two
amendments taken in, one dropped, two alternatives left in brackets), a second round closes
the brackets and Rev.2 is clean. Its last act, the chair putting Rev.2 under silence, is a
chapter of its own told after every other (the conference's comes between), dated at
``present``: the moment the demo is built. The log's time never goes backwards (the
present is after the story), and the deadline, four weeks later, lies ahead of the clock that
``accord serve`` runs on, so the demo shows a silence still open and its scheduler concludes
it when the deadline comes, as it would any other. Nothing in the scheduler knows of demos.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from accord.charter import actions
from accord.charter.acts import CHARTER_ACTS
from accord.charter.models import Document
from accord.charter.rules import SECTION, CharterRules
from accord.charter.text import Provision
from accord.forum.actions import Actor
from accord.forum.demo import amend_rules, demo_chapter
from accord.forum.profile import Profile
from accord.ledger.submit import Accepted

TITLE = "Eurasian Charter of Diversity and Multipolarity"
SILENCE = timedelta(days=28)
"""How long the demo's silence runs from the moment the demo is built: inside the standard
bounds (24 hours to 30 days), long enough to explore the demo before the scheduler ends it."""


def _article(chapter: int, number: int, heading: str, text: str = "") -> Provision:
    return Provision(
        f"chp_{chapter}__art_{number}", "article", str(number), heading, text, f"chp_{chapter}"
    )


CHARTER = (
    Provision(
        "recs__rec_1",
        "recital",
        text="Guided by the purposes and principles of the Charter of the United Nations,",
    ),
    Provision(
        "recs__rec_2",
        "recital",
        text="Convinced that security in Eurasia is indivisible and common to all its peoples,",
    ),
    Provision(
        "recs__rec_3",
        "recital",
        text="Recognising the diversity of the cultures, civilisations and paths of development"
        " of the peoples of Eurasia,",
    ),
    Provision(
        "recs__rec_4",
        "recital",
        text="Desiring to develop dialogue and cooperation among all the States of the continent,",
    ),
    Provision("chp_1", "chapter", "I", "Principles"),
    _article(
        1,
        1,
        "Sovereign equality",
        "The Parties shall respect one another's sovereign equality and territorial integrity,"
        " and all the rights inherent in sovereignty.",
    ),
    _article(
        1,
        2,
        "Indivisible security",
        "The security of each Party is inseparable from the security of all. No Party shall"
        " strengthen its own security at the expense of the security of another.",
    ),
    _article(
        1,
        3,
        "Non-interference",
        "The Parties shall refrain from any intervention, direct or indirect, in the internal"
        " or external affairs that fall within the domestic jurisdiction of another Party.",
    ),
    Provision("chp_2", "chapter", "II", "Cooperation"),
    _article(
        2,
        4,
        "Dialogue",
        "The Parties shall settle their disputes by peaceful means and shall consult one"
        " another within the Forum.",
    ),
    _article(
        2,
        5,
        "Confidence-building",
        "The Parties shall develop measures of confidence and security building and shall"
        " exchange information on them through the Forum.",
    ),
    _article(
        2,
        6,
        "Diversity and multipolarity",
        "The Parties recognise that each people has the right to choose its own path of"
        " development, and shall respect the diversity of cultures and civilisations in a"
        " multipolar world.",
    ),
    Provision("chp_3", "chapter", "III", "Final provisions"),
    _article(3, 7, "Signature and entry into force"),
    Provision(
        "chp_3__art_7__para_1",
        "paragraph",
        "1.",
        text="This Charter shall be open for signature by the participating States of the Forum.",
        parent="chp_3__art_7",
    ),
    Provision(
        "chp_3__art_7__para_2",
        "paragraph",
        "2.",
        text="It shall enter into force on the thirtieth day after the deposit of the third"
        " instrument of ratification with the Secretariat.",
        parent="chp_3__art_7",
    ),
    _article(
        3,
        8,
        "Languages",
        "This Charter is done in the English and Russian languages, both texts being equally"
        " authentic.",
    ),
)
"""The draft as Belarus introduces it (FDSE.L/1/25)."""

RUSSIAN = {
    "recs__rec_1": (
        "",
        "руководствуясь целями и принципами Устава Организации Объединённых Наций,",
    ),
    "recs__rec_2": (
        "",
        "будучи убеждены, что безопасность в Евразии неделима и едина для всех её народов,",
    ),
    "recs__rec_3": (
        "",
        "признавая многообразие культур, цивилизаций и путей развития народов Евразии,",
    ),
    "recs__rec_4": (
        "",
        "желая развивать диалог и сотрудничество между всеми государствами континента,",
    ),
    "chp_1": ("Принципы", ""),
    "chp_1__art_1": (
        "Суверенное равенство",
        (
            "Стороны уважают суверенное равенство и территориальную целостность друг друга, а также"
            " все права, присущие суверенитету."
        ),
    ),
    "chp_1__art_2": (
        "Неделимая безопасность",
        (
            "Безопасность каждой Стороны неотделима от безопасности всех. Ни одна Сторона не"
            " укрепляет свою безопасность за счёт безопасности другой."
        ),
    ),
    "chp_1__art_3": (
        "Невмешательство",
        (
            "Стороны воздерживаются от любого прямого или косвенного вмешательства во внутренние"
            " или внешние дела, входящие во внутреннюю компетенцию другой Стороны."
        ),
    ),
    "chp_2": ("Сотрудничество", ""),
    "chp_2__art_4": (
        "Диалог",
        (
            "Стороны разрешают свои споры мирными средствами и консультируются друг с другом в"
            " рамках Форума."
        ),
    ),
    "chp_2__art_5": (
        "Укрепление доверия",
        (
            "Стороны развивают меры укрепления доверия и безопасности и обмениваются информацией о"
            " них через Форум."
        ),
    ),
    "chp_2__art_6": (
        "Многообразие и многополярность",
        (
            "Стороны признают право каждого народа избирать свой путь развития и уважают"
            " многообразие культур и цивилизаций в многополярном мире."
        ),
    ),
    "chp_3": ("Заключительные положения", ""),
    "chp_3__art_7": ("Подписание и вступление в силу", ""),
    "chp_3__art_7__para_1": (
        "",
        "Настоящая Хартия открыта для подписания государствами — участниками Форума.",
    ),
    "chp_3__art_7__para_2": (
        "",
        (
            "Она вступает в силу на тридцатый день после сдачи Секретариату на хранение третьей"
            " ратификационной грамоты."
        ),
    ),
    "chp_3__art_8": (
        "Языки",
        (
            "Настоящая Хартия совершена на английском и русском языках, причём оба текста имеют"
            " одинаковую силу."
        ),
    ),
}
"""The secretariat's Russian version of the draft as introduced."""

DIALOGUE = (
    "The Parties shall settle their disputes by peaceful means and shall hold consultations"
    " within the Forum at least once a year at the level of ministers for foreign affairs."
)
CULTURE = (
    "The Parties shall encourage exchanges among their peoples in culture, education and"
    " science, and shall respect the linguistic heritage of each."
)
NOTIFICATION = (
    "The Parties shall develop measures of confidence and security building, including the"
    " prior notification of major military activities near their common borders, and shall"
    " exchange information on them through the Forum."
)
VOLUNTARY = (
    "The Parties shall develop measures of confidence and security building on a voluntary"
    " basis and shall exchange information on them through the Forum."
)
RATIFICATIONS = (
    "It shall enter into force on the thirtieth day after the deposit of the fifth instrument"
    " of ratification with the Secretariat."
)
RUSSIAN_LATER = {
    "chp_2__art_4": (
        "Диалог",
        (
            "Стороны разрешают свои споры мирными средствами и не реже одного раза в год проводят"
            " консультации в рамках Форума на уровне министров иностранных дел."
        ),
    ),
    "chp_2__art_6bis": (
        "Культура и образование",
        (
            "Стороны поощряют обмены между своими народами в области культуры, образования и"
            " науки и уважают языковое наследие каждого из них."
        ),
    ),
    "chp_2__art_5": (
        "Укрепление доверия",
        (
            "Стороны развивают меры укрепления доверия и безопасности, включая предварительное"
            " уведомление о крупной военной деятельности вблизи их общих границ, и обмениваются"
            " информацией о них через Форум."
        ),
    ),
    "chp_3__art_7__para_2": (
        "",
        (
            "Она вступает в силу на тридцатый день после сдачи Секретариату на хранение пятой"
            " ратификационной грамоты."
        ),
    ),
}
"""Russia's Russian version of each provision the revisions change or add."""


def amended_rules(profile: Profile, version: int) -> Profile:
    """The profile a forum founded before the charter adopts to gain it: every charter act's
    default grants and the charter's own section (``interpretation_hours``)."""
    may = {**profile.may, **{act.kind: act.default_may() for act in CHARTER_ACTS}}
    sections = {**profile.sections, SECTION: CharterRules(interpretation_hours=72).model_dump()}
    return profile.model_copy(update={"version": version + 1, "may": may, "sections": sections})


def head(code: str) -> Actor:
    return Actor(code, f"{code.lower()}.head")


def delegate(code: str) -> Actor:
    return Actor(code, f"{code.lower()}.delegate")


SECRETARIAT = Actor("secretariat", "sec.registrar")


@dataclass
class Made:
    """The entry index of each act the story names, as the acts happen: a later act (a
    position, a revision) refers to an earlier one by its entry, known only once logged."""

    entries: dict[str, int] = field(default_factory=dict)

    def keep(self, name: str, action: Callable[[], Accepted]) -> Callable[[], Accepted]:
        def act() -> Accepted:
            accepted = action()
            self.entries[name] = accepted.index
            return accepted

        return act

    def __getitem__(self, name: str) -> int:
        return self.entries[name]


def _day(month: int, day: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


@demo_chapter("charter")
def story(on: Callable[[datetime], None], present: datetime) -> Iterator[Callable[[], object]]:
    """The charter's acts in order up to Rev.2; ``on`` moves the demo's calendar to a day. The
    forum, founded before the charter, first gains its grants by a rules amendment. Silence
    opens in a chapter of its own, told last (``silence``)."""
    del present
    made = Made()
    on(_day(11, 10))
    yield from amend_rules(amended_rules)
    on(_day(11, 17))
    yield made.keep(
        "draft",
        lambda: actions.introduce(head("BY"), TITLE, "en", actions.provisions_of(CHARTER)),
    )
    for eid, (heading, text) in RUSSIAN.items():
        yield partial(_translate, made, SECRETARIAT, eid, heading, text)
    on(_day(11, 24))
    yield from _first_round(made)
    on(_day(12, 8))
    yield from _first_revision(made)
    on(_day(12, 15))
    yield from _second_round(made)
    on(_day(12, 22))
    yield lambda: actions.revise(
        head("BY"), made["draft"], incorporate=[made["notification"], made["ratifications"]]
    )
    for eid in ("chp_2__art_5", "chp_3__art_7__para_2"):
        yield partial(_translate_later, made, eid)


@demo_chapter("charter.silence", last=True)
def silence(on: Callable[[datetime], None], present: datetime) -> Iterator[Callable[[], object]]:
    """The demo's last act, told after every other chapter: at ``present`` the chair puts the
    draft Charter, at Rev.2, under silence."""
    on(present)
    yield lambda: actions.open_silence(head("BY"), _draft(), 2, _deadline(present))


def _draft() -> int:
    """The draft Charter's entry, found by its title (one query)."""
    return Document.objects.values_list("entry_index", flat=True).get(title=TITLE)


def _deadline(present: datetime) -> datetime:
    """Noon UTC four weeks after ``present``: a round moment, 27½ to 28½ days away."""
    return (present + SILENCE).replace(hour=12, minute=0, second=0, microsecond=0)


def _translate(made: Made, who: Actor, eid: str, heading: str, text: str) -> Accepted:
    return actions.translate(who, made["draft"], eid, "ru", heading=heading, text=text)


def _translate_later(made: Made, eid: str) -> Accepted:
    heading, text = RUSSIAN_LATER[eid]
    return _translate(made, head("RU"), eid, heading, text)


def _amend(
    made: Made, name: str, who: Actor, eid: str, action: str, **wording: Any
) -> Callable[[], Accepted]:
    return made.keep(name, lambda: actions.amend(who, made["draft"], eid, action, **wording))


def _position(
    made: Made, who: Actor, name: str, stance: str, note: str = ""
) -> Callable[[], Accepted]:
    return lambda: actions.state_position(who, made[name], stance, note)


def _first_round(made: Made) -> Iterator[Callable[[], object]]:
    """Five amendments from four parties, one withdrawn; co-sponsors; positions, one changed."""
    yield _amend(
        made,
        "dialogue",
        delegate("KZ"),
        "chp_2__art_4",
        "replace",
        text=DIALOGUE,
        rationale="Consultations need a rhythm and a level to mean something.",
    )
    yield lambda: actions.cosponsor(head("HU"), made["dialogue"])
    yield _amend(
        made,
        "culture",
        head("HU"),
        "chp_2__art_6",
        "insert_after",
        heading="Culture and education",
        text=CULTURE,
        rationale="Diversity is lived through exchanges among peoples.",
    )
    yield lambda: actions.cosponsor(head("KZ"), made["culture"])
    yield lambda: actions.cosponsor(delegate("CN"), made["culture"])
    yield _amend(
        made,
        "intervention",
        head("HU"),
        "chp_1__art_3",
        "replace",
        text="The Parties shall refrain from intervention in the internal affairs of another"
        " Party, in accordance with international law.",
        rationale="Shorter wording that refers to international law as a whole.",
    )
    yield _amend(
        made,
        "notification",
        head("CN"),
        "chp_2__art_5",
        "replace",
        text=NOTIFICATION,
        rationale="Prior notification is the first measure of confidence.",
    )
    yield _amend(
        made,
        "voluntary",
        head("RU"),
        "chp_2__art_5",
        "replace",
        text=VOLUNTARY,
        rationale="Measures should be agreed step by step.",
    )
    yield _amend(made, "recital", head("KZ"), "recs__rec_4", "delete", rationale="Redundant.")
    yield _position(made, head("BY"), "recital", "object", "The recital states the purpose.")
    yield lambda: actions.withdraw(head("KZ"), made["recital"])
    yield _position(made, head("BY"), "dialogue", "support")
    yield _position(made, head("RU"), "dialogue", "reserve", "Ministers' calendars differ.")
    yield _position(made, delegate("CN"), "dialogue", "support")
    yield _position(made, head("RU"), "dialogue", "accept")
    yield _position(made, head("BY"), "culture", "accept")
    yield _position(made, delegate("RU"), "culture", "support")
    yield _position(made, head("RU"), "intervention", "object", "It weakens the principle.")
    yield _position(made, head("CN"), "intervention", "object")
    yield _position(made, head("BY"), "intervention", "reserve")
    yield _position(made, head("RU"), "notification", "reserve")
    yield _position(made, head("KZ"), "notification", "support")
    yield _position(made, head("HU"), "notification", "object", "Thresholds must be agreed first.")
    yield _position(made, head("CN"), "voluntary", "reserve")
    yield _position(made, head("HU"), "voluntary", "accept")
    yield _position(made, delegate("KZ"), "voluntary", "reserve")


def _first_revision(made: Made) -> Iterator[Callable[[], object]]:
    """Rev.1 takes in the dialogue and culture amendments, drops the one on intervention and
    keeps the two alternatives on confidence-building in brackets; Russia translates anew."""
    yield lambda: actions.revise(
        head("BY"),
        made["draft"],
        incorporate=[made["dialogue"], made["culture"]],
        drop=[made["intervention"]],
    )
    for eid in ("chp_2__art_4", "chp_2__art_6bis"):
        yield partial(_translate_later, made, eid)


def _second_round(made: Made) -> Iterator[Callable[[], object]]:
    """One more amendment, objections lifted, Russia withdrawing its alternative."""
    yield _amend(
        made,
        "ratifications",
        head("KZ"),
        "chp_3__art_7__para_2",
        "replace",
        text=RATIFICATIONS,
        rationale="Five of the participating States should have ratified.",
    )
    yield lambda: actions.cosponsor(head("HU"), made["ratifications"])
    yield _position(made, head("RU"), "ratifications", "support")
    yield _position(made, head("CN"), "ratifications", "accept")
    yield _position(made, head("BY"), "ratifications", "support")
    yield _position(
        made,
        head("HU"),
        "notification",
        "accept",
        "The thresholds can be set in the rules of procedure.",
    )
    yield _position(made, head("RU"), "notification", "accept")
    yield lambda: actions.withdraw(head("RU"), made["voluntary"])
