"""``accord init``, ``accord forum …`` and ``accord person add``: the forum from a terminal.

Every acting command takes the body's fields as its arguments and options and
hands them to ``accord.cli.acting.perform`` with one of the three ways to act
(``--as CODE``, ``--url`` with ``ACCORD_TOKEN``, ``--url --key FILE``). Each
prints its receipts on stdout, the last ending with what it made, or the
refusal on stderr and exits 1.
"""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.acting import Url, acting
from accord.cli.client import OutOpt, fail, http_json, refused, written_to
from accord.cli.ledger import django_setup

forum_app = typer.Typer(
    help="Invite, answer, join, leave, hand over the chair, show.", no_args_is_help=True
)
person_app = typer.Typer(
    help="People of the delegations and the secretariat.", no_args_is_help=True
)

profile_app = typer.Typer(
    help="Propose, agree to and adopt a new version of the rules profile.", no_args_is_help=True
)
forum_app.add_typer(profile_app, name="profile")


@forum_app.command("invite")
@acting("forum.invitation.sent")
def invite(
    code: Annotated[str, typer.Argument(help="The invited party's code (ISO 3166 alpha-2).")],
    name: Annotated[str, typer.Option("--name", help="The invited party's name.")],
    category: Annotated[str, typer.Option(help="state or organisation.")] = "state",
    capacity: Annotated[str, typer.Option(help="participating, observer or partner.")] = (
        "participating"
    ),
    message: Annotated[str, typer.Option(help="A message with the invitation.")] = "",
) -> dict[str, Any]:
    """Invite a state or organisation (by a founding party or the chair); prints the
    invitation's entry, which ``forum answer --invitation`` takes."""
    return {
        "party": code,
        "name": name,
        "category": category,
        "capacity": capacity,
        "message": message,
    }


@forum_app.command("answer")
@acting("forum.invitation.answered")
def answer(
    reply: Annotated[str, typer.Argument(help="interested, accepted or declined.")],
    invitation: Annotated[
        int | None, typer.Option(help="The invitation's entry (default: the open one).")
    ] = None,
) -> dict[str, Any]:
    """Answer the party's invitation."""
    if reply not in ("interested", "accepted", "declined"):
        raise fail("answer interested, accepted or declined")
    return {"answer": reply, "invitation": invitation}


@forum_app.command("join")
@acting("forum.party.joined")
def join() -> dict[str, Any]:
    """A founding party joins the forum it founded."""
    return {}


@forum_app.command("leave")
@acting("forum.party.left")
def leave(
    reason: Annotated[str, typer.Option(help="Why the party leaves, for the record.")] = "",
) -> dict[str, Any]:
    """The party leaves the forum (the chair hands over first). It cannot be undone."""
    return {"reason": reason}


@forum_app.command("chair")
@acting("forum.chair.handed_over")
def chair(
    code: Annotated[str, typer.Argument(help="The participating party to hand the chair to.")],
) -> dict[str, Any]:
    """The chair hands the chairmanship over to CODE."""
    return {"to": code}


@forum_app.command("accredit")
@acting("forum.person.accredited")
def accredit(
    handle: Annotated[str, typer.Argument(help="The person's handle.")],
    role: Annotated[str, typer.Option("--role", help="head, delegate, adviser or staff.")],
) -> dict[str, Any]:
    """The party accredits HANDLE: through its head, or as itself for its first head; prints
    the handle, which ``forum withdraw`` takes."""
    return {"handle": handle, "role": role}


@forum_app.command("withdraw")
@acting("forum.person.withdrawn")
def withdraw(
    handle: Annotated[str, typer.Argument(help="The person's handle.")],
) -> dict[str, Any]:
    """The party withdraws HANDLE's accreditation. It cannot be undone."""
    return {"handle": handle}


def _by_language(option: str, pairs: list[str]) -> dict[str, str]:
    """``LANG=TEXT`` options as a mapping, or a sentence saying which one is malformed."""
    texts: dict[str, str] = {}
    for pair in pairs:
        language, sep, text = pair.partition("=")
        if not sep or not language:
            raise fail(f"{option} takes LANG=TEXT, e.g. {option} en=..., not {pair!r}")
        texts[language.strip()] = text
    return texts


@forum_app.command("describe")
@acting("forum.described")
def forum_describe(
    name: Annotated[list[str], typer.Option("--name", help="LANG=NAME, once per language.")],
    purpose: Annotated[list[str], typer.Option("--purpose", help="LANG=TEXT, once per language.")],
) -> dict[str, Any]:
    """The secretariat or the chair gives the forum's name and purpose in every official
    language (``--name ru=... --name en=... --purpose ru=... --purpose en=...``)."""
    return {"name": _by_language("--name", name), "purpose": _by_language("--purpose", purpose)}


@profile_app.command("propose")
@acting("forum.profile.proposed")
def profile_propose(
    profile_file: Annotated[Path, typer.Argument(help="The next rules profile, as JSON, in full.")],
) -> dict[str, Any]:
    """The chair proposes the next rules profile; prints the proposal's entry, which
    ``forum profile agree`` and ``adopt`` take."""
    try:
        profile = json.loads(profile_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise fail(f"cannot read a JSON rules profile from {profile_file}: {exc}") from None
    return {"profile": profile}


@profile_app.command("agree")
@acting("forum.profile.agreed")
def profile_agree(
    proposal: Annotated[int, typer.Argument(help="The proposal's entry.")],
) -> dict[str, Any]:
    """A participating party agrees to the rules proposal of entry PROPOSAL."""
    return {"proposal": proposal}


@profile_app.command("adopt")
@acting("forum.profile.adopted")
def profile_adopt(
    proposal: Annotated[int, typer.Argument(help="The proposal's entry.")],
) -> dict[str, Any]:
    """The chair declares the rules proposal of entry PROPOSAL adopted (when the decision
    rule is met)."""
    return {"proposal": proposal}


@forum_app.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,  # noqa: FBT002
    url: Url = None,
    out: OutOpt = None,
) -> None:
    """Show the forum: its chair and its parties by status."""
    with written_to(out):
        _show(url, as_json=as_json)


def _show(url: str | None, *, as_json: bool) -> None:
    if url is not None:
        status, summary, _wait = http_json(f"{url.rstrip('/')}/api/v1/forum")
        if status != 200:
            raise refused(summary, status)
    else:
        django_setup()
        from accord.forum.queries import summary as forum_summary  # noqa: PLC0415

        found = forum_summary()
        if found is None:
            raise fail("no forum has been founded on this log")
        summary = found
    if as_json:
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"{summary['name']} — chair: {summary['chair']}, "
        f"rules profile v{summary['profile_version']}"
    )
    for party in summary["parties"]:
        typer.echo(f"  {party['code']:<12} {party['status']:<14} {party['name']}")


@person_app.command("add")
def person_add(
    handle: Annotated[str, typer.Argument(help="The person's handle, e.g. hu.head.")],
    party: Annotated[str, typer.Option("--party", help="The party they act for.")],
    role: Annotated[str, typer.Option("--role", help="head, delegate, adviser or staff.")],
    email: Annotated[str, typer.Option("--email", help="Where the sign-in link is sent.")],
    name: Annotated[str, typer.Option("--name", help="Their full name (kept off the log).")] = "",
    base_url: Annotated[
        str, typer.Option("--base-url", help="The site's address, for the sign-in link.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Add a person's account and print their one-time sign-in link (the secretariat, on the
    host). It signs nothing: the party accredits the person (``accord forum accredit``)."""
    if role not in ("head", "delegate", "adviser", "staff"):
        raise fail("the role is head, delegate, adviser or staff")
    django_setup()
    from accord.forum import actions  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    try:
        added = actions.add_person(handle, party=party, role=role, email=email, name=name)
    except Rejected as refusal:
        raise fail(f"{refusal} ({refusal.code})") from None
    typer.echo(f"Added {handle}; the log binds the handle to {party}.")
    typer.echo(f"{party} accredits them to act ({role}) with its own statement.")
    typer.echo(f"One-time sign-in link: {base_url.rstrip('/')}/sign-in/link/{added.sign_in_token}")


StaffOpt = Annotated[
    str, typer.Option("--by", help="The secretariat staff member who does it, for the record.")
]


def _change_account(handle: str, by: str, change: str) -> None:
    django_setup()
    from accord.ledger.errors import Rejected  # noqa: PLC0415
    from accord.people import actions  # noqa: PLC0415

    act = actions.reset_second_factor if change == "reset" else actions.deactivate
    try:
        record = act(handle, by=by)
    except Rejected as refusal:
        raise fail(f"{refusal} ({refusal.code})") from None
    done = "second factor was reset" if change == "reset" else "account was deactivated"
    typer.echo(f"{handle}'s {done} by {record.by} at {record.at.isoformat()}.")
    typer.echo("They are told by e-mail (sent by the worker or `accord tick`).")


@person_app.command("reset-second-factor")
def person_reset_second_factor(
    handle: Annotated[str, typer.Argument(help="The person who lost their authenticator.")],
    by: StaffOpt,
) -> None:
    """Remove HANDLE's authenticators, for a lost one: they add a new one at next sign-in.
    Recorded with --by, and the person is told by e-mail."""
    _change_account(handle, by, "reset")


@person_app.command("deactivate")
def person_deactivate(
    handle: Annotated[str, typer.Argument(help="The person whose account ends.")],
    by: StaffOpt,
) -> None:
    """Deactivate HANDLE's account: no sign-in, tokens and links dead, sessions ended.
    Recorded with --by, and the person is told by e-mail."""
    _change_account(handle, by, "deactivate")


def init(
    forum_toml: Annotated[Path, typer.Argument(help="The forum's founding file.")],
) -> None:
    """Migrate the database and found the log and the forum from FORUM.toml."""
    django_setup(migrate=True)
    from accord.forum import actions, founding  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415
    from accord.ledger.models import LogState  # noqa: PLC0415

    try:
        accepted = actions.found_forum(founding.load(forum_toml))
    except (founding.FoundingError, Rejected) as exc:
        raise fail(str(exc)) from None
    state = LogState.objects.get()
    typer.echo(f"Founded {state.origin} in {len(accepted)} entries.")
    typer.echo(f"Log verifier key: {state.log_vkey}")
