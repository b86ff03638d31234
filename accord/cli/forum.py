"""``accord init``, ``accord forum …`` and ``accord person add``: the forum from a terminal.

Acting commands run either against a server (``--url``, with a personal token in
``ACCORD_TOKEN``), or on the host itself for a party whose key the host keeps
(``--as CODE``, acting through its head of delegation unless ``--person`` names
another). Each prints the receipt, or the refusal and exits non-zero.
"""

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.ledger import django_setup, fail

if TYPE_CHECKING:
    from collections.abc import Callable

    from accord.forum.actions import Actor
    from accord.ledger.submit import Accepted

forum_app = typer.Typer(
    help="Invite, answer, join, leave, hand over the chair, show.", no_args_is_help=True
)
person_app = typer.Typer(
    help="People of the delegations and the secretariat.", no_args_is_help=True
)

Url = Annotated[
    str | None, typer.Option("--url", help="Act on this server (token in ACCORD_TOKEN).")
]
As = Annotated[str | None, typer.Option("--as", help="Act on this host for party CODE.")]
PersonOpt = Annotated[
    str | None, typer.Option("--person", help="With --as: the person acting (default: the head).")
]


def _api(url: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    token = os.environ.get("ACCORD_TOKEN", "")
    if body is not None and not token:
        raise fail("set ACCORD_TOKEN to a personal API token to act with --url")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(  # noqa: S310 -- the operator chooses the URL
        f"{url.rstrip('/')}/api/v1{path}", data=data, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw or b"{}")
        except ValueError:
            return exc.code, {"detail": raw.decode(errors="replace")[:200]}
    except urllib.error.URLError as exc:
        raise fail(f"cannot reach {url}: {exc.reason}") from None


def _print_receipts(receipts: list[dict[str, Any]]) -> None:
    for one in receipts:
        typer.echo(f"Accepted as entry {one['index']} ({one['kind']}) at {one['logged_at']}.")


def _remote(url: str, path: str, body: dict[str, Any]) -> None:
    status, answer = _api(url, path, body)
    if status == 401:
        raise fail("the server refused the token in ACCORD_TOKEN")
    if status != 201:
        raise fail(f"{answer.get('reason') or answer.get('detail')} ({answer.get('code', status)})")
    _print_receipts(answer["receipts"])


def _local(party: str, person: str | None, act: "Callable[[Actor], list[Accepted]]") -> None:
    django_setup()
    from accord.forum import actions  # noqa: PLC0415
    from accord.forum.api import receipt  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    try:
        accepted = act(actions.as_party(party, person))
    except Rejected as refusal:
        raise fail(f"{refusal} ({refusal.code})") from None
    _print_receipts([receipt(one) for one in accepted])


def _act(
    url: str | None,
    party: str | None,
    person: str | None,
    remote: tuple[str, dict[str, Any]],
    local: "Callable[[Actor], list[Accepted]]",
) -> None:
    if (url is None) == (party is None):
        raise fail("give either --url (with ACCORD_TOKEN) or --as CODE")
    if url is not None:
        _remote(url, *remote)
    else:
        assert party is not None
        _local(party, person, local)


@forum_app.command("invite")
def invite(
    code: Annotated[str, typer.Argument(help="The invited party's code (ISO 3166 alpha-2).")],
    name: Annotated[str, typer.Option("--name", help="The invited party's name.")],
    category: Annotated[str, typer.Option(help="state or organisation.")] = "state",
    capacity: Annotated[str, typer.Option(help="participating, observer or partner.")] = (
        "participating"
    ),
    message: Annotated[str, typer.Option(help="A message with the invitation.")] = "",
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
) -> None:
    """Invite a state or organisation (by a founding party or the chair)."""
    body = {
        "party": code,
        "name": name,
        "category": category,
        "capacity": capacity,
        "message": message,
    }

    def local(actor: "Actor") -> "list[Accepted]":
        from accord.forum import actions  # noqa: PLC0415

        return actions.invite(
            actor, code, name, category=category, capacity=capacity, message=message
        )

    _act(url, party, person, ("/forum/invitations", body), local)


@forum_app.command("answer")
def answer(
    reply: Annotated[str, typer.Argument(help="interested, accepted or declined.")],
    invitation: Annotated[
        int | None, typer.Option(help="The invitation's entry (default: the open one).")
    ] = None,
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
) -> None:
    """Answer the party's invitation."""
    if reply not in ("interested", "accepted", "declined"):
        raise fail("answer interested, accepted or declined")
    path = "/forum/invitations/answer" + (f"?invitation={invitation}" if invitation else "")

    def local(actor: "Actor") -> "list[Accepted]":
        from accord.forum import actions  # noqa: PLC0415

        return [actions.answer(actor, reply, invitation=invitation)]

    _act(url, party, person, (path, {"answer": reply}), local)


@forum_app.command("join")
def join(url: Url = None, party: As = None, person: PersonOpt = None) -> None:
    """A founding party joins the forum it founded."""

    def local(actor: "Actor") -> "list[Accepted]":
        from accord.forum import actions  # noqa: PLC0415

        return [actions.join(actor)]

    _act(url, party, person, ("/forum/join", {}), local)


@forum_app.command("leave")
def leave(
    reason: Annotated[str, typer.Option(help="Why the party leaves, for the record.")] = "",
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
) -> None:
    """The party leaves the forum (the chair hands over first)."""

    def local(actor: "Actor") -> "list[Accepted]":
        from accord.forum import actions  # noqa: PLC0415

        return [actions.leave(actor, reason=reason)]

    _act(url, party, person, ("/forum/leave", {"reason": reason}), local)


@forum_app.command("chair")
def chair(
    code: Annotated[str, typer.Argument(help="The participating party to hand the chair to.")],
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
) -> None:
    """The chair hands the chairmanship over to CODE."""

    def local(actor: "Actor") -> "list[Accepted]":
        from accord.forum import actions  # noqa: PLC0415

        return [actions.hand_over_chair(actor, code)]

    _act(url, party, person, ("/forum/chair", {"to": code}), local)


@forum_app.command("accredit")
def accredit(
    handle: Annotated[str, typer.Argument(help="The person's handle.")],
    role: Annotated[str, typer.Option("--role", help="head, delegate, adviser or staff.")],
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
) -> None:
    """The party accredits HANDLE: through its head, or as itself for its first head."""

    def local(actor: "Actor") -> "list[Accepted]":
        from accord.forum import actions  # noqa: PLC0415

        return [actions.accredit(actor, handle, role)]

    _act(url, party, person, ("/forum/accreditations", {"handle": handle, "role": role}), local)


@forum_app.command("withdraw")
def withdraw(
    handle: Annotated[str, typer.Argument(help="The person's handle.")],
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
) -> None:
    """The party withdraws HANDLE's accreditation."""

    def local(actor: "Actor") -> "list[Accepted]":
        from accord.forum import actions  # noqa: PLC0415

        return [actions.withdraw(actor, handle)]

    _act(url, party, person, (f"/forum/people/{handle}/withdraw", {}), local)


@forum_app.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,  # noqa: FBT002
    url: Url = None,
) -> None:
    """Show the forum: its chair and its parties by status."""
    if url is not None:
        status, summary = _api(url, "/forum")
        if status != 200:
            raise fail(summary.get("detail", f"the server answered {status}"))
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
    from accord.forum import actions  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415

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
