"""Acts: what a person or party can do, declared once per statement kind by the app that owns it.

A statement kind (``registry``) says what a body is and when it may be made; an
*act* says how people reach it: its action, who the rules profile lets make it
in a newly founded forum, the sentence that tells of it once done and those
that tell of its refusals, whether it can be undone, and the names its page,
API route and CLI command go by. Each app declares its acts with ``declare``
when Django loads it; the ledger imports no app. The surfaces read the
declarations: a page shows an act's form only when the profile grants it, the
CLI builds an own-key statement from the body model, and a test walks
``ACTS`` and fails when an act lacks a page, an API route, a CLI command,
documentation or a translation.

Default grants reach only the profile of a newly founded forum (its founding
statement carries them); a forum that exists gains an app's grants by adopting
a profile amendment, so replay never depends on the code that runs it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from accord.ledger.registry import Body

Grant = tuple[tuple[str, ...], tuple[str, ...]]
"""Standings × roles: every ``standing:role`` pair the rules profile grants."""


@dataclass(frozen=True)
class Act:
    """One act of one app, and everything its surfaces need to offer it.

    ``done`` is a lazily translated sentence with named fields from the body
    and ``actor`` (the acting party's name), e.g. ``"%(actor)s answered the
    invitation: %(answer)s"``. ``refusals`` maps each refusal code the act's
    kind raises to a translated sentence for the person who acted. ``cli`` is
    the command as typed after ``accord`` (``forum answer``); ``positional``
    the body fields it takes as arguments, in order. ``api`` is the route's
    method and path under ``/api/v1``; ``page`` the URL name its form posts to.
    """

    body: type[Body]
    action: Callable[..., Any]
    title: str | Promise
    done: str | Promise
    grants: tuple[Grant, ...]
    cli: str
    api: str
    page: str
    positional: tuple[str, ...] = ()
    refusals: Mapping[str, str | Promise] = field(default_factory=dict)
    undoable: bool = True
    """False for an act that cannot be undone (leaving, withdrawing): pages ask to confirm."""
    refers: Mapping[str, str] = field(default_factory=dict)
    """Body fields that name an earlier entry, with the kind that entry must be: a tool
    that signs with an own key checks each one's inclusion in the log first."""
    query: tuple[str, ...] = ()
    """Fields the API route takes as query parameters rather than in the JSON body."""
    names: str | None = None
    """The body field that names what the act made (a handle), for the next command;
    None when the act's own entry index names it (an invitation, a proposal)."""

    @property
    def kind(self) -> str:
        return self.body.kind

    @property
    def v(self) -> int:
        return self.body.v

    def default_may(self) -> list[str]:
        """The profile's ``may`` list this act brings to a newly founded forum."""
        return [
            f"{standing}:{role}"
            for standings, roles in self.grants
            for standing in standings
            for role in roles
        ]

    def describe(self, actor: str, body: Mapping[str, Any]) -> str:
        """The done act as a sentence in the active language, e.g. "Romania answered …"."""
        fields = {name: value for name, value in body.items() if not isinstance(value, dict)}
        return str(self.done) % {**fields, "actor": actor}


ACTS: dict[str, Act] = {}
"""Every declared act, by its statement kind; filled when the apps load."""


def declare(act: Act) -> Act:
    """Register ``act``; a kind is declared once, by the app that owns it."""
    if act.kind in ACTS:
        raise RuntimeError(f"the act for {act.kind} is declared twice")
    ACTS[act.kind] = act
    return act


def act_for(kind: str) -> Act | None:
    return ACTS.get(kind)


def default_grants() -> dict[str, list[str]]:
    """The ``may`` table the declared acts bring to a new forum's profile, by kind."""
    return {kind: act.default_may() for kind, act in ACTS.items()}


def refusal_sentence(code: str) -> str | None:
    """A declared act's translated sentence for refusal ``code``, if any act declares one."""
    for act in ACTS.values():
        if code in act.refusals:
            return str(act.refusals[code])
    return None
