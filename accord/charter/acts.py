"""The charter's acts, each declared once: its action, default grants, sentences and names.

Every surface reads these declarations (``accord.ledger.acts``): a page offers
an act's form only when the rules profile grants it to the signed-in person,
the API and the CLI call the same ``perform``, and a newly founded forum's
standard profile takes its grants for the charter's kinds from here. By default
the chair and the participating parties introduce, amend and translate; only
the participating parties state positions and break silence; only the chair
issues revisions and opens silence; the secretariat concludes and translates.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.charter import actions
from accord.charter.statements import (
    AmendmentCosponsored,
    AmendmentProposed,
    AmendmentWithdrawn,
    DocumentIntroduced,
    InterpretationAttached,
    PositionStated,
    RevisionIssued,
    SilenceBroken,
    SilenceConcluded,
    SilenceOpened,
    TranslationGiven,
)
from accord.forum.actions import Actor
from accord.ledger.acts import ACTS, Act, Grant, declare
from accord.ledger.sentences import tell
from accord.ledger.submit import Accepted

Perform = Callable[[Actor, dict[str, Any]], list[Accepted]]

SIGNERS = ("head", "party")
SPEAKERS = ("head", "delegate", "party")
DRAFTERS: Grant = (("chair", "participating"), SPEAKERS)
SECRETARIAT: Grant = (("secretariat",), ("staff", "party"))

STANCES = {
    "support": _("support"),
    "accept": _("can accept"),
    "reserve": _("reserve"),
    "object": _("object"),
}
OUTCOMES = {"adopted": _("adopted"), "broken": _("broken")}
ACTIONS = {
    "replace": _("replace the text"),
    "insert_before": _("insert a provision before it"),
    "insert_after": _("insert a provision after it"),
    "delete": _("delete it"),
}

_DOCUMENT_REFUSALS = {
    "no_document": _("This is not a document of the forum."),
    "adopted": _("This document was adopted; an adopted text is not amended."),
    "under_silence": _(
        "This document is under silence; break silence with a counter-proposal instead."
    ),
    "superseded": _("This document was superseded."),
}
_PROVISION_REFUSALS = {
    "no_provision": _("The document has no such provision in its current revision."),
    "deleted": _("This provision was deleted in a revision; it cannot be amended."),
}
_AMENDMENT_REFUSALS = {
    "no_amendment": _("This is not an amendment of the forum."),
    "amendment_closed": _("This amendment is no longer open."),
}
_PROCEDURE_REFUSALS = {
    "no_procedure": _("This is not a silence procedure."),
    "concluded": _("This silence procedure was concluded."),
}


def _one(act: Callable[..., Accepted]) -> Perform:
    """A perform for an action that makes one statement from the body's fields by name."""
    return lambda actor, fields: [act(actor, **fields)]


INTRODUCE = declare(
    Act(
        DocumentIntroduced,
        _one(actions.introduce),
        _("Introduce the document"),
        _("%(actor)s introduced the document “%(title)s”"),
        (DRAFTERS,),
        cli="charter import",
        api="POST /charter/documents",
        page="charter-introduce",
        positional=("provisions",),
        refusals={"bad_text": _("The document's text does not hold together.")},
    )
)
TRANSLATE = declare(
    Act(
        TranslationGiven,
        _one(actions.translate),
        _("Give the translation"),
        _("%(actor)s translated %(provision)s of document %(document)s into %(language)s"),
        (DRAFTERS, SECRETARIAT),
        cli="charter translate",
        api="POST /charter/documents/{document}/translations",
        page="charter-translate",
        positional=("document",),
        refers={"document": "charter.document.introduced"},
        refusals={
            **_PROVISION_REFUSALS,
            "no_document": _DOCUMENT_REFUSALS["no_document"],
            "original_language": _(
                "The document was written in this language; it is the original."
            ),
            "not_official": _("Translate only into the forum's official languages."),
            "incomplete": _(
                "Give the heading and the text the provision has, no more and no less."
            ),
        },
    )
)
AMEND = declare(
    Act(
        AmendmentProposed,
        _one(actions.amend),
        _("Propose the amendment"),
        _("%(actor)s proposed to amend %(provision)s of document %(document)s"),
        (DRAFTERS,),
        cli="charter amend",
        api="POST /charter/documents/{document}/amendments",
        page="charter-amend",
        positional=("document",),
        refers={"document": "charter.document.introduced"},
        refusals={
            **_DOCUMENT_REFUSALS,
            **_PROVISION_REFUSALS,
            "bad_amendment": _(
                "A replacement or insertion needs its new text; a deletion carries none."
            ),
            "unchanged": _("The text proposed is the provision's text already."),
        },
    )
)
COSPONSOR = declare(
    Act(
        AmendmentCosponsored,
        _one(actions.cosponsor),
        _("Co-sponsor"),
        _("%(actor)s co-sponsored amendment %(amendment)s"),
        ((("participating",), SPEAKERS),),
        cli="charter cosponsor",
        api="POST /charter/amendments/{amendment}/cosponsor",
        page="charter-cosponsor",
        positional=("amendment",),
        refers={"amendment": "charter.amendment.proposed"},
        refusals={
            **_AMENDMENT_REFUSALS,
            "own_amendment": _("Your party sponsors this amendment."),
            "cosponsor_already": _("Your party co-sponsors this amendment already."),
        },
    )
)
WITHDRAW = declare(
    Act(
        AmendmentWithdrawn,
        _one(actions.withdraw),
        _("Withdraw the amendment"),
        _("%(actor)s withdrew amendment %(amendment)s"),
        (DRAFTERS,),
        cli="charter withdraw",
        api="POST /charter/amendments/{amendment}/withdraw",
        page="charter-withdraw",
        positional=("amendment",),
        refers={"amendment": "charter.amendment.proposed"},
        undoable=False,
        refusals={
            **_AMENDMENT_REFUSALS,
            "not_sponsor": _("Only the sponsor withdraws an amendment."),
        },
    )
)
POSITION = declare(
    Act(
        PositionStated,
        _one(actions.state_position),
        _("State the position"),
        _("%(actor)s stated its position on amendment %(amendment)s: %(stance)s"),
        ((("participating",), SPEAKERS),),
        cli="charter position",
        api="POST /charter/amendments/{amendment}/positions",
        page="charter-position",
        positional=("amendment",),
        refers={"amendment": "charter.amendment.proposed"},
        refusals={
            **_AMENDMENT_REFUSALS,
            "not_participating": _("Only participating parties state positions."),
            "unchanged": _("This is your party's position already."),
        },
    )
)
REVISE = declare(
    Act(
        RevisionIssued,
        _one(actions.revise),
        _("Issue the revision"),
        _("%(actor)s issued Rev.%(number)s of document %(document)s"),
        ((("chair",), SIGNERS),),
        cli="charter revise",
        api="POST /charter/documents/{document}/revisions",
        page="charter-revise",
        positional=("document",),
        refers={"document": "charter.document.introduced"},
        refusals={
            **_DOCUMENT_REFUSALS,
            **_AMENDMENT_REFUSALS,
            "bad_number": _("This is not the next revision's number."),
            "bad_choice": _("An amendment cannot be both incorporated and dropped."),
            "alternatives": _(
                "Two amendments to one provision are alternatives; incorporate one of them."
            ),
            "orphaned": _(
                "Some amendments amend a provision this revision deletes; drop them too."
            ),
            "revision_mismatch": _(
                "The text given is not the current text with the incorporated amendments applied."
            ),
        },
    )
)
SILENCE = declare(
    Act(
        SilenceOpened,
        _one(actions.open_silence),
        _("Put under silence"),
        _("%(actor)s put document %(document)s under silence until %(until)s"),
        ((("chair",), SIGNERS),),
        cli="charter silence",
        api="POST /charter/documents/{document}/silence",
        page="charter-silence",
        positional=("document",),
        refers={"document": "charter.document.introduced"},
        undoable=False,
        refusals={
            **_DOCUMENT_REFUSALS,
            "not_current": _("Only the current revision can be put under silence."),
            "brackets_open": _("Provisions are still in brackets; issue a clean revision first."),
            "out_of_bounds": _("The deadline is outside the silence bounds of the rules."),
        },
    )
)
BREAK = declare(
    Act(
        SilenceBroken,
        _one(actions.break_silence),
        _("Break silence"),
        _("%(actor)s broke silence on procedure %(procedure)s"),
        ((("participating",), SIGNERS),),
        cli="charter break-silence",
        api="POST /charter/silence/{procedure}/break",
        page="charter-break",
        positional=("procedure",),
        refers={"procedure": "charter.silence.opened"},
        undoable=False,
        refusals={
            **_PROCEDURE_REFUSALS,
            "silence_ended": _("Silence has ended; objections are no longer accepted."),
            "broken_already": _("Your party broke this silence already."),
            "not_participating": _("Only participating parties break silence."),
        },
    )
)
CONCLUDE = declare(
    Act(
        SilenceConcluded,
        _one(actions.conclude_silence),
        _("Conclude the silence procedure"),
        _("%(actor)s concluded silence procedure %(procedure)s: %(outcome)s"),
        (SECRETARIAT,),
        cli="charter conclude",
        api="POST /charter/silence/{procedure}/conclude",
        page="charter-conclude",
        positional=("procedure",),
        refers={"procedure": "charter.silence.opened"},
        undoable=False,
        refusals={
            **_PROCEDURE_REFUSALS,
            "not_yet": _("Silence has not ended yet."),
            "wrong_outcome": _("The log shows another outcome."),
        },
    )
)
INTERPRET = declare(
    Act(
        InterpretationAttached,
        _one(actions.interpret),
        _("Attach the interpretative statement"),
        _("%(actor)s attached an interpretative statement to decision %(decision)s"),
        ((("participating",), SIGNERS),),
        cli="charter interpret",
        api="POST /charter/decisions/{decision}/interpretations",
        page="charter-interpret",
        positional=("decision",),
        refers={"decision": "charter.silence.concluded"},
        undoable=False,
        refusals={
            "no_decision": _("This is not a decision of the forum."),
            "not_joined": _("Only parties that joined the decision attach statements to it."),
            "window_closed": _("The time for interpretative statements on it has passed."),
        },
    )
)

tell(POSITION.kind, words={"stance": STANCES})
tell(CONCLUDE.kind, words={"outcome": OUTCOMES})

CHARTER_ACTS = tuple(act for act in ACTS.values() if act.kind.startswith("charter."))
