"""The conference's acts, each declared once: its action, default grants, sentences and names.

Every surface reads these declarations (``accord.ledger.acts``): a page offers an act's
form only when the rules profile grants it to the signed-in person, the API and the CLI
call the same ``perform``, and a newly founded forum's standard profile takes its grants
for the conference's kinds from here. By default the chair (and, for meetings, the
secretariat) runs the edition, whose own chair the kinds' checks insist on; the
participating parties and the forum's guests (observers, partners) name delegations,
inscribe, reply and deliver statements; only the participating parties object; the
secretariat issues journals.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from accord.dialogue import actions
from accord.dialogue.statements import (
    AgendaAdopted,
    AgendaProposed,
    CredentialsAccepted,
    CredentialsSubmitted,
    DecisionAsked,
    DecisionDeclared,
    DelegationNamed,
    EditionCreated,
    FloorGiven,
    FollowUpRecorded,
    FollowUpUpdated,
    JournalIssued,
    MeetingAdded,
    ObjectionMade,
    ReplyRequested,
    SpeakerInscribed,
    SpeakersClosed,
    SpeakersOpened,
    StatementCirculated,
    StatementDelivered,
    StatementDerestricted,
    SummaryIssued,
)
from accord.forum.actions import Actor
from accord.ledger.acts import Act, Grant, declare
from accord.ledger.submit import Accepted

Perform = Callable[[Actor, dict[str, Any]], list[Accepted]]

SPEAKERS = ("head", "delegate", "party")
CHAIR: Grant = (("chair", "participating"), SPEAKERS)
SECRETARIAT: Grant = (("secretariat",), ("staff", "party"))
DELEGATIONS: Grant = (("participating", "observer", "partner"), SPEAKERS)
MEMBERS: Grant = (("participating",), SPEAKERS)

EDITION_REFUSALS = {
    "no_edition": _("This is not an edition of a conference."),
    "not_chair": _("Only the chair of the edition does this."),
}
MEETING_REFUSALS = {
    "no_meeting": _("This is not a meeting of a conference."),
    "no_edition": EDITION_REFUSALS["no_edition"],
    "not_chair": EDITION_REFUSALS["not_chair"],
    "no_item": _("The agenda has no such item."),
}
PRESENCE_REFUSALS = {
    "no_credentials": _(
        "The delegation has no credentials to this edition; it acts in a meeting only while"
        " they are provisional or accepted."
    ),
    "no_delegation": _("The party has named no delegation to this edition."),
    "not_in_delegation": _("This person is not a member of the party's delegation."),
    "unknown_party": _("No such party in the forum."),
}
LIST_REFUSALS = {
    "no_list": _("No speakers' list was opened for this item in this meeting."),
    "list_closed": _("The speakers' list of this item is closed."),
}
QUESTION_REFUSALS = {
    "no_question": _("This is not a question put to a meeting."),
    "decided": _("This question was decided."),
}
DRAFT_REFUSALS = {
    "no_document": _("This is not a document of the forum."),
    "not_a_draft": _("Only a draft is put to a meeting."),
    "stale_revision": _("The document was revised; ask about its current revision."),
}


def _one(act: Callable[..., Accepted]) -> Perform:
    """A perform for an action that makes one statement from the body's fields by name."""
    return lambda actor, fields: [act(actor, **fields)]


CREATE = declare(
    Act(
        EditionCreated,
        _one(actions.create),
        _("Convene the edition"),
        _("%(actor)s convened “%(title)s” in %(city)s, from %(starts_on)s to %(ends_on)s"),
        (CHAIR, SECRETARIAT),
        cli="conference create",
        api="POST /conference/editions",
        page="conference-create",
        refusals={
            "ends_before_start": _("The edition ends before it starts."),
            "chair_not_participating": _("Only a participating party chairs an edition."),
            "bad_date": _("That is not a date."),
        },
    )
)
MEETING = declare(
    Act(
        MeetingAdded,
        _one(actions.add_meeting),
        _("Add the meeting"),
        _("%(actor)s added the meeting “%(title)s” in %(room)s from %(starts_at)s"),
        (CHAIR, SECRETARIAT),
        cli="conference meeting add",
        api="POST /conference/editions/{edition}/meetings",
        page="conference-meeting-add",
        positional=("edition",),
        refers={"edition": "dialogue.edition.created"},
        refusals={
            **EDITION_REFUSALS,
            "ends_before_start": _("The meeting ends before it starts."),
            "outside_edition": _("The meeting falls outside the edition's days."),
            "room_clash": _("The room is taken at that time by another meeting."),
        },
    )
)
PROPOSE_AGENDA = declare(
    Act(
        AgendaProposed,
        _one(actions.propose_agenda),
        _("Propose the agenda"),
        _("%(actor)s proposed the agenda of edition %(edition)s"),
        (CHAIR,),
        cli="conference agenda propose",
        api="POST /conference/editions/{edition}/agenda",
        page="conference-agenda-propose",
        positional=("edition", "items"),
        refers={"edition": "dialogue.edition.created"},
        refusals={
            **EDITION_REFUSALS,
            "agenda_adopted": _("The agenda was adopted; it is no longer proposed."),
            "bad_agenda": _("The agenda's items do not hold together."),
            "no_document": _("An item links to something that is not a document of the forum."),
            "no_followup": _(
                "An item reviews something that is no follow-up of an earlier edition."
            ),
        },
    )
)
ADOPT_AGENDA = declare(
    Act(
        AgendaAdopted,
        _one(actions.adopt_agenda),
        _("Declare the agenda adopted"),
        _("%(actor)s declared the agenda of edition %(edition)s adopted"),
        (CHAIR,),
        cli="conference agenda adopt",
        api="POST /conference/editions/{edition}/agenda/adoption",
        page="conference-agenda-adopt",
        positional=("edition",),
        undoable=False,
        refers={"edition": "dialogue.edition.created", "meeting": "dialogue.meeting.added"},
        refusals={
            **MEETING_REFUSALS,
            "no_agenda": _("No agenda was proposed."),
            "agenda_adopted": PROPOSE_AGENDA.refusals["agenda_adopted"],
            "not_opening": _("The agenda is adopted at the edition's opening meeting."),
            "not_begun": _("The opening meeting has not begun."),
        },
    )
)
DELEGATION = declare(
    Act(
        DelegationNamed,
        _one(actions.name_delegation),
        _("Name the delegation"),
        _("%(actor)s named its delegation to edition %(edition)s"),
        (DELEGATIONS,),
        cli="conference delegation name",
        api="POST /conference/editions/{edition}/delegations",
        page="conference-delegation",
        positional=("edition",),
        refers={"edition": "dialogue.edition.created"},
        refusals={
            **EDITION_REFUSALS,
            "not_in_touch": _(
                "Only a participating party or a guest of the forum sends a delegation."
            ),
            "one_head": _("A delegation has exactly one head."),
            "twice": _("A person appears twice in the delegation."),
            "not_accredited": _("Every member must be accredited to the party first."),
        },
    )
)
SUBMIT_CREDENTIALS = declare(
    Act(
        CredentialsSubmitted,
        _one(actions.submit_credentials),
        _("Submit the credentials"),
        _("%(actor)s submitted credentials to edition %(edition)s, dated %(dated)s"),
        (DELEGATIONS,),
        cli="conference credentials submit",
        api="POST /conference/editions/{edition}/credentials",
        page="conference-credentials-submit",
        positional=("edition",),
        refers={"edition": "dialogue.edition.created"},
        refusals={
            **EDITION_REFUSALS,
            "no_delegation": PRESENCE_REFUSALS["no_delegation"],
            "future": _("Credentials are not dated in the future."),
            "bad_date": CREATE.refusals["bad_date"],
        },
    )
)
ACCEPT_CREDENTIALS = declare(
    Act(
        CredentialsAccepted,
        _one(actions.accept_credentials),
        _("Accept the credentials"),
        _("%(actor)s reported on the credentials to edition %(edition)s and accepted them"),
        (CHAIR,),
        cli="conference credentials accept",
        api="POST /conference/editions/{edition}/credentials/report",
        page="conference-credentials-accept",
        positional=("edition",),
        undoable=False,
        refers={"edition": "dialogue.edition.created"},
        refusals={
            **EDITION_REFUSALS,
            "no_credentials": _("The party has no provisional credentials to accept."),
            "twice": _("A party is named twice in the report."),
        },
    )
)
OPEN_LIST = declare(
    Act(
        SpeakersOpened,
        _one(actions.open_list),
        _("Open the speakers' list"),
        _("%(actor)s opened the speakers' list of item %(item)s"),
        (CHAIR,),
        cli="conference speakers open",
        api="POST /conference/meetings/{meeting}/lists",
        page="conference-speakers-open",
        positional=("meeting", "item"),
        refers={"meeting": "dialogue.meeting.added"},
        refusals={
            **MEETING_REFUSALS,
            "agenda_not_adopted": _("The agenda is not adopted yet."),
            "list_open": _("The speakers' list of this item is open."),
        },
    )
)
CLOSE_LIST = declare(
    Act(
        SpeakersClosed,
        _one(actions.close_list),
        _("Close the speakers' list"),
        _("%(actor)s closed the speakers' list of item %(item)s"),
        (CHAIR,),
        cli="conference speakers close",
        api="POST /conference/meetings/{meeting}/lists/closing",
        page="conference-speakers-close",
        positional=("meeting", "item"),
        refers={"meeting": "dialogue.meeting.added"},
        refusals={**MEETING_REFUSALS, **LIST_REFUSALS},
    )
)
INSCRIBE = declare(
    Act(
        SpeakerInscribed,
        _one(actions.inscribe),
        _("Inscribe on the speakers' list"),
        _("%(actor)s inscribed %(speaker)s on the speakers' list of item %(item)s"),
        (DELEGATIONS,),
        cli="conference speakers inscribe",
        api="POST /conference/meetings/{meeting}/inscriptions",
        page="conference-speakers-inscribe",
        positional=("meeting", "item"),
        refers={"meeting": "dialogue.meeting.added"},
        refusals={
            **MEETING_REFUSALS,
            **PRESENCE_REFUSALS,
            **LIST_REFUSALS,
            "inscribed": _("The delegation is already inscribed on this item."),
            "point_of_order_waiting": _(
                "The delegation's point of order is still waiting; it is heard before another."
            ),
        },
    )
)
REPLY = declare(
    Act(
        ReplyRequested,
        _one(actions.reply),
        _("Ask for the right of reply"),
        _("%(actor)s asked for the right of reply to %(to)s on item %(item)s"),
        (DELEGATIONS,),
        cli="conference reply",
        api="POST /conference/meetings/{meeting}/replies",
        page="conference-reply",
        positional=("meeting", "item"),
        refers={"meeting": "dialogue.meeting.added"},
        refusals={
            **MEETING_REFUSALS,
            **PRESENCE_REFUSALS,
            "no_list": LIST_REFUSALS["no_list"],
            "reply_to_self": _("A delegation does not reply to itself."),
            "not_spoken": _(
                "That party has not spoken on this item; there is nothing to reply to."
            ),
            "reply_cap": _("The delegation has had all its replies on this item in this meeting."),
        },
    )
)
FLOOR = declare(
    Act(
        FloorGiven,
        lambda actor, fields: [actions.give_floor(actor, **fields)],
        _("Give the floor to the next speaker"),
        _("%(actor)s gave the floor on item %(item)s"),
        (CHAIR,),
        cli="conference speakers next",
        api="POST /conference/meetings/{meeting}/floor",
        page="conference-speakers-next",
        positional=("meeting", "item"),
        refers={"meeting": "dialogue.meeting.added"},
        refusals={
            **MEETING_REFUSALS,
            "no_list": LIST_REFUSALS["no_list"],
            "nobody_waiting": _("Nobody waits for the floor on this item."),
            "out_of_order": _("The floor goes to the speaker the list's order names next."),
        },
    )
)
CIRCULATE = declare(
    Act(
        StatementCirculated,
        _one(actions.circulate),
        _("Circulate the statement"),
        _("%(actor)s circulated the statement “%(title)s”"),
        (DELEGATIONS,),
        cli="conference statement circulate",
        api="POST /conference/texts",
        page="conference-statement-circulate",
        positional=("text",),
    )
)
DELIVER = declare(
    Act(
        StatementDelivered,
        _one(actions.deliver),
        _("Deliver the statement"),
        _("%(actor)s delivered a statement under item %(item)s"),
        (DELEGATIONS,),
        cli="conference statement deliver",
        api="POST /conference/meetings/{meeting}/statements",
        page="conference-statement-deliver",
        positional=("circulated",),
        refers={
            "meeting": "dialogue.meeting.added",
            "circulated": "dialogue.statement.circulated",
        },
        refusals={
            **MEETING_REFUSALS,
            **PRESENCE_REFUSALS,
            "not_circulated": _("That is no text the delegation circulated."),
            "delivered": _("That text was delivered already."),
            "language_not_offered": _("The meeting does not offer that language."),
            "bad_lineage": _("A revision names the statement it revises and how."),
            "no_statement": _("This is not a statement delivered at a meeting."),
            "not_yours": _("A party revises only its own statements."),
            "agenda_not_adopted": _("The agenda is not adopted yet."),
        },
    )
)
DERESTRICT = declare(
    Act(
        StatementDerestricted,
        _one(actions.derestrict),
        _("Derestrict the statement"),
        _("%(actor)s derestricted statement %(statement)s as decision %(decision)s provided"),
        (CHAIR, SECRETARIAT),
        cli="conference statement derestrict",
        api="POST /conference/statements/{statement}/derestriction",
        page="conference-statement-derestrict",
        positional=("statement",),
        undoable=False,
        refers={"statement": "dialogue.statement.delivered"},
        refusals={
            "no_statement": DELIVER.refusals["no_statement"],
            "not_chair": _("Only the chair or the secretariat carries out a derestriction."),
            "not_restricted": _("This statement is not restricted."),
            "no_derestriction": _("No decision adopted at a meeting derestricts this statement."),
        },
    )
)
ASK = declare(
    Act(
        DecisionAsked,
        _one(actions.ask),
        _("Ask the meeting for a decision"),
        _(
            "%(actor)s asked the meeting to adopt document %(document)s by consensus under"
            " item %(item)s"
        ),
        (CHAIR,),
        cli="conference decide",
        api="POST /conference/meetings/{meeting}/questions",
        page="conference-decide",
        positional=("item",),
        refers={"meeting": "dialogue.meeting.added", "document": "charter.document.introduced"},
        refusals={
            **MEETING_REFUSALS,
            **DRAFT_REFUSALS,
            "asked": _("This document is already before a meeting."),
            "agenda_not_adopted": _("The agenda is not adopted yet."),
            "another_edition": _(
                "Only a decision of the edition a statement was delivered at derestricts it."
            ),
            "no_statement": DELIVER.refusals["no_statement"],
            "not_restricted": DERESTRICT.refusals["not_restricted"],
        },
    )
)
OBJECT = declare(
    Act(
        ObjectionMade,
        _one(actions.object_to),
        _("Object"),
        _("%(actor)s objected to the decision asked in %(question)s"),
        (MEMBERS,),
        cli="conference object",
        api="POST /conference/questions/{question}/objections",
        page="conference-object",
        positional=("question",),
        undoable=False,
        refers={"question": "dialogue.decision.asked"},
        refusals={
            **QUESTION_REFUSALS,
            "no_meeting": MEETING_REFUSALS["no_meeting"],
            "no_edition": EDITION_REFUSALS["no_edition"],
            "no_credentials": PRESENCE_REFUSALS["no_credentials"],
            "not_participating": _("Only a participating party objects."),
            "window_closed": _("The time for objections has passed."),
            "objected": _("The party has objected already."),
        },
    )
)
DECLARE = declare(
    Act(
        DecisionDeclared,
        _one(actions.declare),
        _("Declare the decision"),
        _("%(actor)s declared the question %(question)s %(outcome)s"),
        (CHAIR,),
        cli="conference declare",
        api="POST /conference/questions/{question}/declaration",
        page="conference-declare",
        positional=("question",),
        undoable=False,
        refers={"question": "dialogue.decision.asked"},
        refusals={
            **QUESTION_REFUSALS,
            **DRAFT_REFUSALS,
            "no_meeting": MEETING_REFUSALS["no_meeting"],
            "no_edition": EDITION_REFUSALS["no_edition"],
            "not_chair": EDITION_REFUSALS["not_chair"],
            "window_open": _("The parties may still object; declare once the time has passed."),
            "objection_recorded": _("An objection was recorded; there is no consensus to declare."),
        },
    )
)
SUMMARY = declare(
    Act(
        SummaryIssued,
        _one(actions.issue_summary),
        _("Issue the chair's summary"),
        _("%(actor)s issued “%(title)s” under its own responsibility"),
        (CHAIR,),
        cli="conference summary",
        api="POST /conference/editions/{edition}/summaries",
        page="conference-summary",
        positional=("edition",),
        refers={"edition": "dialogue.edition.created"},
        refusals=EDITION_REFUSALS,
    )
)
JOURNAL = declare(
    Act(
        JournalIssued,
        _one(actions.issue_journal),
        _("Issue the journal"),
        _("%(actor)s issued the journal of meeting %(meeting)s"),
        (SECRETARIAT,),
        cli="conference issue-journal",
        api="POST /conference/meetings/{meeting}/journal",
        page="conference-journal-issue",
        positional=("meeting",),
        undoable=False,
        refers={"meeting": "dialogue.meeting.added"},
        refusals={
            "no_meeting": MEETING_REFUSALS["no_meeting"],
            "no_edition": EDITION_REFUSALS["no_edition"],
            "not_secretariat": _("The secretariat issues the journal."),
            "journal_issued": _("The journal of this meeting was issued."),
            "journal_mismatch": _("This journal is not the one the log implies."),
        },
    )
)
FOLLOWUP = declare(
    Act(
        FollowUpRecorded,
        _one(actions.record_followup),
        _("Record the follow-up"),
        _("%(actor)s recorded a follow-up item (%(category)s) for %(owner)s"),
        (CHAIR,),
        cli="conference followup record",
        api="POST /conference/editions/{edition}/followups",
        page="conference-followup-record",
        positional=("edition",),
        refers={"edition": "dialogue.edition.created"},
        refusals={**EDITION_REFUSALS, "unknown_party": PRESENCE_REFUSALS["unknown_party"]},
    )
)
FOLLOWUP_UPDATE = declare(
    Act(
        FollowUpUpdated,
        _one(actions.update_followup),
        _("Report on the follow-up"),
        _("%(actor)s reported the follow-up %(followup)s as %(status)s"),
        (DELEGATIONS,),
        cli="conference followup update",
        api="POST /conference/followups/{followup}/updates",
        page="conference-followup-update",
        positional=("followup",),
        refers={"followup": "dialogue.followup.recorded"},
        refusals={
            "no_followup": _("This is not a follow-up item."),
            "not_owner": _("Its owner or the chair reports on a follow-up item."),
            "no_edition": EDITION_REFUSALS["no_edition"],
        },
    )
)
DIALOGUE_ACTS = (
    CREATE,
    MEETING,
    PROPOSE_AGENDA,
    ADOPT_AGENDA,
    DELEGATION,
    SUBMIT_CREDENTIALS,
    ACCEPT_CREDENTIALS,
    OPEN_LIST,
    CLOSE_LIST,
    INSCRIBE,
    REPLY,
    FLOOR,
    CIRCULATE,
    DELIVER,
    DERESTRICT,
    ASK,
    OBJECT,
    DECLARE,
    SUMMARY,
    JOURNAL,
    FOLLOWUP,
    FOLLOWUP_UPDATE,
)
