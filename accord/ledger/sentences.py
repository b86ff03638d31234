"""Every logged entry as a sentence a secretariat would write, in the reader's language.

The log speaks in kinds, party codes and enumerated values; a reader wants
"Romania answered the invitation: interested". A declared act's ``done``
sentence tells its kind; kinds without an act (the ledger's own, a forum's
founding) are given one here with ``tell``. ``tell`` also says which body
fields hold a party code (printed by name) and which hold a word of the
domain (printed translated), so a Russian page never shows an English value.
The ledger imports no app: apps call ``tell`` for their kinds when they load.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accord.ledger.acts import act_for
from accord.ledger.envelope import Statement

Words = Mapping[str, str | Promise]
"""A body value (``"interested"``) and the word a reader reads for it."""


@dataclass(frozen=True)
class Telling:
    """How a kind's entries read: its sentence (None: the act's ``done``), the body fields
    that name a party, and the words for the values of enumerated fields."""

    sentence: str | Promise | None = None
    parties: tuple[str, ...] = ()
    words: Mapping[str, Words] = field(default_factory=dict)
    names_of: Mapping[str, str] = field(default_factory=dict)
    """Fields that spell out a party's name (an invitation's ``name``), with the field that
    holds its code: the reader sees the name in their language, as for ``parties``."""


TELLINGS: dict[str, Telling] = {}
"""How each kind reads, beyond its act's declaration; filled when the apps load."""


def tell(
    kind: str,
    sentence: str | Promise | None = None,
    *,
    parties: tuple[str, ...] = (),
    words: Mapping[str, Words] | None = None,
    names_of: Mapping[str, str] | None = None,
) -> None:
    """Say how ``kind``'s entries read; once per kind, by the app that owns it."""
    if kind in TELLINGS:
        raise RuntimeError(f"the sentence for {kind} is told twice")
    TELLINGS[kind] = Telling(sentence, parties, words or {}, names_of or {})


def _values(
    telling: Telling, body: Mapping[str, Any], name: Callable[[str], str]
) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in body.items():
        if isinstance(value, dict | list):
            continue
        code = body.get(telling.names_of[key]) if key in telling.names_of else None
        if key in telling.parties and isinstance(value, str):
            values[key] = name(value)
        elif isinstance(code, str) and name(code) != code:
            values[key] = name(code)
        elif key in telling.words:
            values[key] = str(telling.words[key].get(str(value), value))
        else:
            values[key] = str(value)
    return values


def sentence_of(statement: Statement, name: Callable[[str], str]) -> str:
    """The entry as a sentence in the active language; ``name`` gives a party's name.

    A restricted entry's public body is only a commitment, and an unknown kind
    has no sentence: both read as a signed statement of their kind, which the
    page shows beside. Costs no query (the names come in with ``name``).
    """
    act = act_for(statement.kind)
    telling = TELLINGS.get(statement.kind, Telling())
    told = telling.sentence or (act.done if act else None)
    actor = name(statement.actor)
    if told is None:
        return gettext("%(actor)s signed a statement") % {"actor": actor}
    values = _values(telling, statement.body, name)
    try:
        return str(told) % {**values, "actor": actor}
    except (KeyError, TypeError, ValueError):
        return gettext("%(actor)s signed a statement") % {"actor": actor}


CUSTODY = {"hosted": _("kept by this host"), "own": _("the party's own")}

tell("ledger.log.founded", _("%(actor)s opened the log %(origin)s"))
tell(
    "ledger.party.registered",
    _("%(actor)s registered %(name)s, its key %(custody)s"),
    words={"custody": CUSTODY},
)
tell("ledger.key.added", _("%(actor)s added a key, %(custody)s"), words={"custody": CUSTODY})
tell(
    "ledger.key.rotated",
    _("%(actor)s replaced a key, the new one %(custody)s"),
    words={"custody": CUSTODY},
)
tell("ledger.key.revoked", _("%(actor)s revoked a key of %(party)s"), parties=("party",))
tell("ledger.communique.published", _("%(actor)s published the communiqué “%(title)s”"))
