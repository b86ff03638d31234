"""The forum's statement kinds and the rules of procedure every statement must pass.

Each class is one kind: its fields are the body's schema, its docstring is its
paragraph in docs/forum.md, ``check`` says when it may be made and ``apply``
writes its projection. Who may make a kind at all is not here but in the rules
profile (``rules_of_procedure`` below), so a forum can change it by amending
the profile rather than the code.
"""

from dataclasses import dataclass
from typing import Annotated, Literal

from django.db import connection
from pydantic import BaseModel, ConfigDict, Field

from accord.forum.models import (
    MEMBER_STATUSES,
    Accreditation,
    ChairTerm,
    Forum,
    ForumDescription,
    ForumParty,
    HandleBinding,
    Invitation,
    ProfileProposal,
    RulesProfile,
    StatusChange,
)
from accord.forum.profile import Profile, parsed
from accord.ledger.digest import register_projection
from accord.ledger.envelope import format_time
from accord.ledger.errors import NotAllowed, NotPermitted
from accord.ledger.models import Party
from accord.ledger.registry import Body, Context, admission_rule, statement_kind

for _model in (
    Forum,
    ForumParty,
    StatusChange,
    Invitation,
    Accreditation,
    HandleBinding,
    ChairTerm,
    RulesProfile,
    ProfileProposal,
    ForumDescription,
):
    register_projection(_model)

CODE = r"^[A-Za-z][A-Za-z0-9-]{1,31}$"
HANDLE = r"^[a-z0-9][a-z0-9.-]{1,39}$"
Capacity = Literal["participating", "observer", "partner"]
Category = Literal["state", "organisation"]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
ForumName = Annotated[str, Field(min_length=1, max_length=200)]
Purpose = Annotated[str, Field(min_length=1, max_length=2000)]


# -- rules of procedure --------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What the rules of procedure look at for one statement: read in a single query."""

    standings: set[str]
    """The actor's status, plus chair, initiator or secretariat where they apply."""
    accredited_to: str | None
    """The party the named person is accredited to, if the statement names one who is."""
    role: str | None
    profile: Profile


def _standing_sql() -> str:
    return (
        "SELECT f.chair, p.status, p.founding, a.party, a.role, r.profile "  # noqa: S608 -- names from our own models, values bound
        f"FROM {Forum._meta.db_table} f "  # noqa: SLF001 -- Django's public spelling
        f"LEFT JOIN {ForumParty._meta.db_table} p ON p.code = %s "  # noqa: SLF001
        f"LEFT JOIN {Accreditation._meta.db_table} a "  # noqa: SLF001
        "ON a.handle = %s AND a.withdrawn_at IS NULL "
        f"LEFT JOIN {RulesProfile._meta.db_table} r "  # noqa: SLF001
        "ON r.version = f.profile_version"
    )


def standing_of(party: str, handle: str | None, secretariat: str) -> Standing | None:
    """The party's standings and the named person's accreditation; None before founding.

    One query: this runs for every statement once the forum exists, so it is
    plain SQL rather than four ORM reads (which cost ~40 % of submit's rate).
    """
    with connection.cursor() as cursor:
        cursor.execute(_standing_sql(), [party, handle])
        row = cursor.fetchone()
    if row is None:
        return None
    chair, status, founding, accredited_to, role, profile = row
    held: set[str] = set()
    if party == secretariat:
        held.add("secretariat")
    elif status is not None:
        held.add(status)
        if founding:
            held.add("initiator")
        if chair == party:
            held.add("chair")
    rules = parsed(profile)
    return Standing(held, accredited_to, role, rules)


def acting_role(ctx: Context, standing: Standing) -> str:
    """The role through which the statement is made: its person's, or ``party`` if none."""
    handle = ctx.statement.by
    if handle is None:
        return "party"
    if standing.accredited_to is None or standing.role is None:
        raise NotPermitted(f"{handle} is not accredited to any delegation", "unknown_person")
    if standing.accredited_to != ctx.actor:
        raise NotPermitted(
            f"{handle} acts for {standing.accredited_to}, not for {ctx.actor}", "not_your_party"
        )
    return standing.role


@admission_rule
def rules_of_procedure(kind: type[Body], ctx: Context) -> None:
    """Once the forum is founded, every statement needs a grant in the rules profile."""
    standing = standing_of(ctx.actor, ctx.statement.by, ctx.log.secretariat)
    if standing is None:
        return
    role = acting_role(ctx, standing)
    if not standing.profile.allows(kind.kind, standing.standings, role):
        who = "without naming a person" if role == "party" else f"through its {role}"
        held = ", ".join(sorted(standing.standings)) or "not a party to this forum"
        raise NotPermitted(
            f"the rules of procedure do not let {ctx.actor} ({held}) make {kind.kind} {who}",
            "not_permitted",
        )


# -- helpers for check and apply -----------------------------------------------------------------


def _party(code: str) -> ForumParty:
    party = ForumParty.objects.filter(code=code).first()
    if party is None:
        raise NotAllowed(f"{code} is not a party to this forum", "unknown_party")
    return party


def _set_status(party: ForumParty, status: str, ctx: Context) -> None:
    party.status = status
    party.since = ctx.index
    if party._state.adding:  # noqa: SLF001 -- Django's public spelling
        party.save()
    else:
        party.save(update_fields=["status", "since"])
    StatusChange.objects.create(
        entry_index=ctx.index, party=party.code, status=status, logged_at=format_time(ctx.logged_at)
    )


def _forum() -> Forum:
    forum = Forum.objects.first()
    if forum is None:
        raise NotAllowed("no forum has been founded on this log", "no_forum")
    return forum


class FoundingParty(BaseModel):
    """A party named in the founding; it joins with its own statement."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    code: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    category: Category


# -- the kinds -----------------------------------------------------------------------------------


@statement_kind("forum.founded", 1)
class ForumFounded(Body):
    """The secretariat founds the forum: its name, official languages, document symbol prefix,
    decision rule, the founding parties (already registered in the log with a key), the first
    chair (a founding party) and the first rules profile. Accepted once per log."""

    name: str = Field(min_length=1, max_length=200)
    languages: list[str] = Field(min_length=1)
    symbol_prefix: str = Field(pattern=r"^[A-Z][A-Z0-9.]{0,31}$")
    decision_rule: Literal["consensus", "majority"]
    parties: list[FoundingParty] = Field(min_length=1)
    chair: str
    profile: Profile

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ForumFounded)
        if ctx.actor != ctx.log.secretariat:
            raise NotAllowed("only the secretariat founds the forum", "not_secretariat")
        if Forum.objects.exists():
            raise NotAllowed("this log's forum was founded already", "already_founded")
        if body.profile.version != 1:
            raise NotAllowed("the founding rules profile is version 1", "bad_profile")
        codes = [party.code for party in body.parties]
        if len(set(codes)) != len(codes):
            raise NotAllowed("a founding party is named twice", "duplicate_party")
        unregistered = [code for code in codes if not Party.objects.filter(code=code).exists()]
        if unregistered:
            raise NotAllowed(
                f"register {', '.join(unregistered)} in the log before founding", "unknown_party"
            )
        if body.chair not in codes:
            raise NotAllowed("the first chair must be a founding party", "bad_chair")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ForumFounded)
        Forum.objects.create(
            name=body.name,
            languages=body.languages,
            symbol_prefix=body.symbol_prefix,
            decision_rule=body.decision_rule,
            chair=body.chair,
            founded_at=ctx.index,
            profile_version=1,
        )
        for founder in body.parties:
            party = ForumParty(
                code=founder.code,
                name=founder.name,
                category=founder.category,
                founding=True,
                since=ctx.index,
            )
            _set_status(party, "invited", ctx)
        ChairTerm.objects.create(began_at=ctx.index, party=body.chair)
        RulesProfile.objects.create(
            version=1, profile=body.profile.model_dump(mode="json"), adopted_at=ctx.index
        )


@statement_kind("forum.party.joined", 1)
class PartyJoined(Body):
    """A founding party joins the forum it founded and becomes participating."""

    @classmethod
    def check(cls, ctx: Context) -> None:
        party = _party(ctx.actor)
        if not party.founding:
            raise NotAllowed(
                f"{ctx.actor} is not a founding party; it joins by accepting its invitation",
                "not_founding",
            )
        if party.status != "invited" or StatusChange.objects.filter(party=ctx.actor).count() > 1:
            # Only the founding invitation is answered by joining; a founding party that
            # left comes back through a new invitation, in the capacity it offers.
            raise NotAllowed(
                f"{ctx.actor} has joined already; it answers any later invitation instead",
                "already_joined",
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        _set_status(_party(ctx.actor), "participating", ctx)


@statement_kind("forum.invitation.sent", 1)
class InvitationSent(Body):
    """A founding party or the chair invites a state or organisation to take part as a
    participating party, observer or partner. The invited party answers with its own signature:
    if the log holds no key for it yet, the secretariat registers one the host keeps."""

    party: str = Field(pattern=CODE)
    name: str = Field(min_length=1, max_length=200)
    category: Category
    capacity: Capacity
    message: str = Field(default="", max_length=4000)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(InvitationSent)
        if body.party in (ctx.log.secretariat, ctx.actor):
            raise NotAllowed(f"{ctx.actor} cannot invite {body.party}", "cannot_invite")
        existing = ForumParty.objects.filter(code=body.party).first()
        if existing is not None:
            if existing.status in MEMBER_STATUSES:
                raise NotAllowed(f"{body.party} is {existing.status} already", "already_member")
            if existing.status in ("invited", "interested"):
                raise NotAllowed(
                    f"{body.party} holds an invitation it has not answered", "already_invited"
                )
            if existing.name != body.name:
                raise NotAllowed(f"{body.party} is known as {existing.name!r}", "wrong_name")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(InvitationSent)
        party = ForumParty.objects.filter(code=body.party).first() or ForumParty(
            code=body.party, name=body.name, category=body.category, since=ctx.index
        )
        _set_status(party, "invited", ctx)
        Invitation.objects.create(
            entry_index=ctx.index,
            party=body.party,
            invited_by=ctx.actor,
            capacity=body.capacity,
            message=body.message,
            sent_at=format_time(ctx.logged_at),
        )


@statement_kind("forum.invitation.answered", 1)
class InvitationAnswered(Body):
    """The invited party answers its invitation: interested (it takes part in the talks and may
    answer again), accepted (it takes up the offered capacity at once) or declined."""

    invitation: int = Field(ge=0)
    answer: Literal["interested", "accepted", "declined"]

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(InvitationAnswered)
        invitation = Invitation.objects.filter(entry_index=body.invitation).first()
        if invitation is None or invitation.party != ctx.actor:
            raise NotAllowed(
                f"entry {body.invitation} is not an invitation to {ctx.actor}", "no_invitation"
            )
        if not invitation.is_open:
            raise NotAllowed(
                f"invitation {body.invitation} was {invitation.answer} already", "answered"
            )
        if invitation.answer == body.answer:
            raise NotAllowed(f"{ctx.actor} is {body.answer} already", "answered")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(InvitationAnswered)
        invitation = Invitation.objects.get(entry_index=body.invitation)
        invitation.answer, invitation.answered_at = body.answer, ctx.index
        invitation.save(update_fields=["answer", "answered_at"])
        status = invitation.capacity if body.answer == "accepted" else body.answer
        _set_status(_party(ctx.actor), status, ctx)


@statement_kind("forum.party.left", 1)
class PartyLeft(Body):
    """A member leaves the forum; its delegation's accreditations end with it, and a founding
    party gives up the founders' standing. The chair hands over the chair before it can
    leave."""

    reason: str = Field(default="", max_length=2000)

    @classmethod
    def check(cls, ctx: Context) -> None:
        if _forum().chair == ctx.actor:
            raise NotAllowed(f"{ctx.actor} holds the chair; hand it over first", "holds_chair")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        party = _party(ctx.actor)
        if party.founding:
            # A founder that leaves gives up the founders' standing (inviting, joining by
            # itself); it comes back, if it does, through an invitation like anyone else.
            party.founding = False
            party.save(update_fields=["founding"])
        _set_status(party, "left", ctx)
        Accreditation.objects.filter(party=ctx.actor, withdrawn_at__isnull=True).update(
            withdrawn_at=ctx.index
        )


@statement_kind("forum.chair.handed_over", 1)
class ChairHandedOver(Body):
    """The chair hands the chairmanship to another participating party."""

    to: str = Field(pattern=CODE)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ChairHandedOver)
        if body.to == ctx.actor:
            raise NotAllowed(f"{ctx.actor} holds the chair already", "holds_chair")
        if _party(body.to).status != "participating":
            raise NotAllowed(f"{body.to} is not a participating party", "not_participating")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ChairHandedOver)
        ChairTerm.objects.filter(ended_at__isnull=True).update(ended_at=ctx.index)
        ChairTerm.objects.create(began_at=ctx.index, party=body.to)
        Forum.objects.update(chair=body.to)


@statement_kind("forum.person.added", 1)
class PersonAdded(Body):
    """The secretariat adds a person's account for a party under a handle, and binds the handle
    to that party: from then on only that party accredits it. The person's name and e-mail stay
    with the host; the log learns the handle and the party, which the accreditation would make
    public anyway. It signs nothing for the party: the person acts only once accredited."""

    handle: str = Field(pattern=HANDLE)
    party: str = Field(pattern=CODE)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(PersonAdded)
        if ctx.actor != ctx.log.secretariat:
            raise NotAllowed("only the secretariat adds people's accounts", "not_secretariat")
        if body.party != ctx.log.secretariat:
            _party(body.party)
        bound = HandleBinding.objects.filter(handle=body.handle).first()
        if bound is not None:
            raise NotAllowed(
                f"the handle {body.handle} was added for {bound.party} already", "handle_taken"
            )
        owner = Accreditation.objects.filter(handle=body.handle).values_list("party").first()
        if owner is not None:
            raise NotAllowed(f"the handle {body.handle} belongs to {owner[0]}", "handle_taken")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(PersonAdded)
        HandleBinding.objects.create(handle=body.handle, party=body.party, entry_index=ctx.index)


@statement_kind("forum.person.accredited", 1)
class PersonAccredited(Body):
    """A party accredits a person to its delegation under a handle, in one role: head of
    delegation (one at a time), delegate or adviser; the secretariat accredits its staff. Only
    the handle and role are in the log; the person's name and e-mail stay with the host."""

    handle: str = Field(pattern=HANDLE)
    role: Literal["head", "delegate", "adviser", "staff"]

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(PersonAccredited)
        is_secretariat = ctx.actor == ctx.log.secretariat
        if is_secretariat != (body.role == "staff"):
            raise NotAllowed(
                "the secretariat accredits staff, and only the secretariat has staff", "bad_role"
            )
        bound = HandleBinding.objects.filter(handle=body.handle).values_list("party").first()
        if bound is not None and bound[0] != ctx.actor:
            raise NotAllowed(
                f"{body.handle} was added for {bound[0]}; only {bound[0]} accredits it",
                "handle_taken",
            )
        owner = Accreditation.objects.filter(handle=body.handle).values_list("party").first()
        if owner is not None and owner[0] != ctx.actor:
            raise NotAllowed(f"{body.handle} belongs to {owner[0]}", "handle_taken")
        current = Accreditation.objects.filter(party=ctx.actor, withdrawn_at__isnull=True)
        if current.filter(handle=body.handle).exists():
            raise NotAllowed(f"{body.handle} is accredited already", "already_accredited")
        if body.role == "head" and current.filter(role="head").exists():
            raise NotAllowed(
                f"{ctx.actor} has a head of delegation; withdraw them first", "has_head"
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(PersonAccredited)
        Accreditation.objects.create(
            entry_index=ctx.index,
            handle=body.handle,
            party=ctx.actor,
            role=body.role,
            accredited_by=ctx.statement.by or "",
        )


@statement_kind("forum.person.withdrawn", 1)
class PersonWithdrawn(Body):
    """A party withdraws a person's accreditation; the handle can act for it no more."""

    handle: str = Field(pattern=HANDLE)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(PersonWithdrawn)
        active = Accreditation.objects.filter(
            handle=body.handle, party=ctx.actor, withdrawn_at__isnull=True
        )
        if not active.exists():
            raise NotAllowed(f"{body.handle} is not accredited to {ctx.actor}", "not_accredited")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(PersonWithdrawn)
        Accreditation.objects.filter(handle=body.handle, withdrawn_at__isnull=True).update(
            withdrawn_at=ctx.index
        )


@statement_kind("forum.profile.proposed", 1)
class ProfileProposed(Body):
    """The chair proposes the next version of the rules profile, in full."""

    profile: Profile

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ProfileProposed)
        expected = _forum().profile_version + 1
        if body.profile.version != expected:
            raise NotAllowed(f"the next rules profile is version {expected}", "bad_profile")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ProfileProposed)
        ProfileProposal.objects.create(
            entry_index=ctx.index,
            version=body.profile.version,
            profile=body.profile.model_dump(mode="json"),
            proposed_by=ctx.actor,
        )


def _open_proposal(entry: int) -> ProfileProposal:
    proposal = ProfileProposal.objects.filter(entry_index=entry, adopted_at__isnull=True).first()
    if proposal is None or proposal.version != _forum().profile_version + 1:
        raise NotAllowed(f"entry {entry} is not an open rules proposal", "no_proposal")
    return proposal


@statement_kind("forum.profile.agreed", 1)
class ProfileAgreed(Body):
    """A participating party agrees to a proposed rules profile."""

    proposal: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ProfileAgreed)
        if ctx.actor in _open_proposal(body.proposal).agreed_by:
            raise NotAllowed(f"{ctx.actor} agreed already", "agreed_already")

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ProfileAgreed)
        proposal = ProfileProposal.objects.get(entry_index=body.proposal)
        proposal.agreed_by = sorted([*proposal.agreed_by, ctx.actor])
        proposal.save(update_fields=["agreed_by"])


@statement_kind("forum.profile.adopted", 1)
class ProfileAdopted(Body):
    """The chair declares a proposed rules profile adopted; accepted only when the forum's
    decision rule is met by the agreements in the log (consensus: every participating party;
    majority: more than half of them)."""

    proposal: int = Field(ge=0)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ProfileAdopted)
        proposal = _open_proposal(body.proposal)
        members = set(
            ForumParty.objects.filter(status="participating").values_list("code", flat=True)
        )
        agreed = members & set(proposal.agreed_by)
        rule = _forum().decision_rule
        if not agreed:
            raise NotAllowed(
                f"the {rule} rule is not met: no participating party has agreed", "rule_not_met"
            )
        met = agreed == members if rule == "consensus" else 2 * len(agreed) > len(members)
        if not met:
            missing = ", ".join(sorted(members - agreed))
            raise NotAllowed(
                f"the {rule} rule is not met: {missing} have not agreed", "rule_not_met"
            )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ProfileAdopted)
        proposal = ProfileProposal.objects.get(entry_index=body.proposal)
        proposal.adopted_at = ctx.index
        proposal.save(update_fields=["adopted_at"])
        RulesProfile.objects.create(
            version=proposal.version, profile=proposal.profile, adopted_at=ctx.index
        )
        Forum.objects.update(profile_version=proposal.version)


@statement_kind("forum.described", 1)
class ForumDescribed(Body):
    """The secretariat or the chair describes the forum: its name and its purpose (a short text
    the home page shows) in each of the forum's official languages, every one of them and no
    other. A new description replaces the last one whole; the founding name stays the forum's
    name in the log's own records."""

    name: dict[Language, ForumName] = Field(min_length=1)
    purpose: dict[Language, Purpose] = Field(min_length=1)

    @classmethod
    def check(cls, ctx: Context) -> None:
        body = ctx.body_as(ForumDescribed)
        official = set(_forum().languages)
        spoken = ", ".join(sorted(official))
        for field, texts in (("name", body.name), ("purpose", body.purpose)):
            foreign = ", ".join(sorted(set(texts) - official))
            if foreign:
                raise NotAllowed(
                    f"the {field} is given in {foreign}, which is not an official language"
                    f" of the forum; its languages are {spoken}",
                    "not_official",
                )
            missing = ", ".join(sorted(official - set(texts)))
            if missing:
                raise NotAllowed(
                    f"the {field} lacks {missing}; give it in every official language: {spoken}",
                    "missing_language",
                )

    @classmethod
    def apply(cls, ctx: Context) -> None:
        body = ctx.body_as(ForumDescribed)
        ForumDescription.objects.all().delete()
        ForumDescription.objects.bulk_create(
            ForumDescription(
                language=language,
                name=body.name[language],
                purpose=body.purpose[language],
                described_at=ctx.index,
            )
            for language in sorted(body.name)
        )
