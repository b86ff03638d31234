"""``accord csbm …``: confidence- and security-building notifications from a terminal, for a
delegate or a national system.

The acting commands (``seal``, ``notify``, ``ack``, ``close``, ``missed``, ``webhook``) act
in the three ways every acting command does (``accord.cli.acting``) and print their
receipts, the last ending with what they made: ``notify`` ends with the notification's id,
its public entry, which ``ack``, ``close`` and ``missed`` take. With ``--url URL --key FILE``
``notify`` signs two statements itself, the content sealed (restricted: only the salted
commitment is signed, the salt and body travel beside it for the host to check and keep),
then the public notification naming the content's entry, with the recipients and public
facts computed here from the body and the forum's public record. The reading commands
(``types``, ``schema``, ``inbox``, ``threshold``, ``compliance``, ``dead-letters``) write to
stdout or ``--out FILE``.
"""

import json
import urllib.parse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.acting import (
    As,
    DryRun,
    KeyOpt,
    LogKeyOpt,
    PersonOpt,
    Url,
    Way,
    acting,
    perform,
    print_receipts,
    registered_party,
    sign_and_submit,
)
from accord.cli.client import OutOpt, console, fail, served, written_to
from accord.cli.ledger import django_setup

if TYPE_CHECKING:
    from accord.csbm.formats import Format, Payload
    from accord.csbm.rules import CsbmRules

csbm_app = typer.Typer(
    help="Confidence- and security-building notifications: send, acknowledge, check, report.",
    no_args_is_help=True,
)

TypeArg = Annotated[str, typer.Argument(help="The format's identifier (accord csbm types).")]
BodyOpt = Annotated[
    Path, typer.Option("--file", help="The payload, a JSON file as accord csbm schema TYPE says.")
]
PublicOpt = Annotated[
    bool, typer.Option("--public", help="Send it public instead of restricted to its recipients.")
]
NotificationArg = Annotated[int, typer.Argument(help="The notification's id (its entry).")]
ReadUrl = Annotated[str | None, typer.Option("--url", help="Read from this server.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
REPORT_FORMATS = ("text", "csv", "json")
BAD_INPUT = 2
"""The exit status for figures no activity can have (negative or absurd), as for a usage
error: the command was given what it cannot judge, not refused by the forum."""


def _payload(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise fail(f"{path} is not UTF-8 text") from None
    except ValueError as exc:
        raise fail(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise fail(f"{path} holds a JSON {type(data).__name__}; a payload is a JSON object")
    return data


def _distribution(*, public: bool) -> str:
    return "public" if public else "restricted"


def _own_key(way: Way) -> bool:
    return way.key is not None and way.url is not None and way.party is None


# -- acting --------------------------------------------------------------------------------------


@csbm_app.command("seal")
@acting("csbm.content.sealed")
def seal(
    fmt: TypeArg,
    file: BodyOpt,
    public: PublicOpt = False,  # noqa: FBT002 -- a Typer flag
    *,
    way: Way,
) -> dict[str, Any]:
    """Seal a notification's content without sending it (restricted unless --public); prints
    the content's entry, which ``POST /csbm/notifications`` with ``content`` sends."""
    fields: dict[str, Any] = {
        "format": fmt,
        "payload": _payload(file),
        "distribution": _distribution(public=public),
    }
    if _own_key(way):
        fields["schema_version"] = _format(fmt).v
    return fields


def _format(name: str) -> "Format":
    django_setup()
    from accord.csbm.formats import FORMATS  # noqa: PLC0415 -- after setup

    found = FORMATS.get(name)
    if found is None:
        raise fail(f"{name!r} is not a notification format; accord csbm types lists them")
    return found


@csbm_app.command("notify")
def notify(
    fmt: TypeArg,
    file: BodyOpt,
    public: PublicOpt = False,  # noqa: FBT002 -- a Typer flag
    url: Url = None,
    party: As = None,
    person: PersonOpt = None,
    key: KeyOpt = None,
    log_key: LogKeyOpt = None,
    dry_run: DryRun = False,  # noqa: FBT002 -- a Typer flag
) -> None:
    """Send a notification of format TYPE with the payload in --file (restricted to its
    recipients unless --public); prints the notification's id, its public entry. On the
    host or with a token, the content is sealed and sent in one transaction."""
    way = Way(url, party, person, key, log_key, dry_run)
    payload = _payload(file)
    distribution = _distribution(public=public)
    if not _own_key(way):
        fields = {"format": fmt, "payload": payload, "distribution": distribution}
        perform("csbm.notification.sent", fields, way)
        return
    _notify_with_own_key(fmt, payload, distribution, way)


def _notify_with_own_key(fmt: str, payload: dict[str, Any], distribution: str, way: Way) -> None:
    """Seal, read the content's entry, then sign the notification naming it. The recipients
    and facts are computed before anything is signed, so a body Accord would refuse leaves
    no content behind."""
    assert way.url is not None
    url = way.url.rstrip("/")
    found = _format(fmt)
    model = _model(found, payload)
    facts = found.facts_of(model)
    actor = registered_party(url, way)
    to = _recipients(url, found, actor, model, facts)
    from accord.csbm.acts import NOTIFY, SEAL  # noqa: PLC0415 -- declared once Django is set up

    content = {
        "format": fmt,
        "schema_version": found.v,
        "payload": payload,
        "distribution": distribution,
    }
    sealed = sign_and_submit(SEAL, content, url, way)
    if sealed is None:
        console.print(
            "The content is shown; the notification naming its entry is signed once the"
            " content is in the log (run without --dry-run).",
            highlight=False,
        )
        return
    sent_fields = {
        "format": fmt,
        "schema_version": found.v,
        "content": int(sealed["index"]),
        "to": to,
        "facts": facts,
    }
    sent = sign_and_submit(NOTIFY, sent_fields, url, way)
    assert sent is not None
    print_receipts(NOTIFY, [sealed, sent], sent_fields)


def _model(found: "Format", payload: dict[str, Any]) -> "Payload":
    from accord.csbm.statements import payload_of  # noqa: PLC0415 -- after setup
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    try:
        return payload_of(found, payload)
    except Rejected as refusal:
        raise fail(f"{refusal} ({refusal.code})") from None


def _recipients(
    url: str, found: "Format", actor: str, model: "Payload", facts: dict[str, Any]
) -> list[str]:
    """Who the notification goes to, as ``accord.csbm.statements.recipients_for`` computes it,
    from the forum's public record on the server (this machine keeps no forum): every other
    participating party, the addressees the body names, or the other side of the request."""
    if found.scope == "all":
        parties = served(url, "/forum")["parties"]
        return sorted(
            p["code"] for p in parties if p["status"] == "participating" and p["code"] != actor
        )
    if found.scope == "answers":
        # The other side of the conversation: the requester answers the party it asked (a
        # meeting request), the party asked answers the requester (a reply).
        request = served(url, f"/csbm/notifications/{int(facts['in_reply_to'])}")
        asked = request["facts"].get("requested_state") or request["facts"].get("receiving_state")
        return [str(asked if actor == request["sender"] else request["sender"])]
    named = getattr(model, found.addressee)
    return sorted({named} if isinstance(named, str) else set(named))


@csbm_app.command("ack")
@acting("csbm.notification.acknowledged")
def ack(notification: NotificationArg) -> dict[str, Any]:
    """Acknowledge a notification sent to the party (once; late ones are marked late)."""
    return {"notification": notification}


@csbm_app.command("close")
@acting("csbm.case.closed")
def close(
    case: Annotated[int, typer.Argument(help="The request's entry that opened the case.")],
    outcome: Annotated[
        str, typer.Option("--outcome", help="satisfied, meeting_held, completed or withdrawn.")
    ],
    note: Annotated[str, typer.Option("--note", help="A note for the record.")] = "",
) -> dict[str, Any]:
    """Close a consultation, inspection or evaluation the party opened; nothing more is sent
    in it."""
    return {"case": case, "outcome": outcome, "note": note}


@csbm_app.command("missed")
@acting("csbm.deadline.missed")
def missed(
    notification: NotificationArg,
    missed_by: Annotated[str, typer.Option("--party", help="The party that missed it.")],
    what: Annotated[str, typer.Option("--what", help="acknowledgement or reply.")],
) -> dict[str, Any]:
    """The secretariat records a deadline a party missed (the log recomputes it)."""
    return {"notification": notification, "party": missed_by, "what": what}


@csbm_app.command("webhook")
@acting("csbm.webhook.registered")
def webhook(
    url_to: Annotated[
        str, typer.Argument(metavar="URL", help="A public https address; '' stops them.")
    ],
    *,
    way: Way,
) -> dict[str, Any]:
    """Register where the party's national system receives its deliveries (restricted: the
    party and the secretariat read the address)."""
    fields: dict[str, Any] = {"url": url_to}
    if _own_key(way):
        fields["distribution"] = "restricted"
    return fields


# -- reading -------------------------------------------------------------------------------------


@csbm_app.command("types")
def types(out: OutOpt = None) -> None:
    """List the notification formats, one a line: identifier, schema version, title."""
    with written_to(out):
        django_setup()
        from accord.csbm.api import types as listed  # noqa: PLC0415 -- after setup

        for row in listed():
            typer.echo(f"{row['id']}  v{row['v']}  {row['title']}")


@csbm_app.command("schema")
def schema(fmt: TypeArg, out: OutOpt = None) -> None:
    """Print a format's JSON Schema (draft 2020-12), to validate a body against."""
    with written_to(out):
        typer.echo(json.dumps(_format(fmt).schema(), indent=2, ensure_ascii=False))


@csbm_app.command("inbox")
def inbox(
    party: Annotated[str | None, typer.Option("--as", help="Read on this host for CODE.")] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Read from this server (token in ACCORD_TOKEN).")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those overdue.")] = False,  # noqa: FBT002
    outbox: Annotated[bool, typer.Option("--outbox", help="Those sent instead.")] = False,  # noqa: FBT002
    as_json: JsonOpt = False,  # noqa: FBT002 -- a Typer flag
    out: OutOpt = None,
) -> None:
    """The party's received notifications, newest first, each with its acknowledgement's
    deadline and state (acknowledged, late, due, overdue)."""
    which = "outbox" if outbox else "inbox"
    with written_to(out):
        rows = _box(party, url, which, overdue=overdue)
        if as_json:
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            typer.echo(f"Nothing {'overdue ' if overdue else ''}in the {which}.")
        for row in rows:
            who = row["sender"] if which == "inbox" else f"{row['acknowledged']}"
            who += "" if which == "inbox" else f"/{len(row['recipients'])} acknowledged"
            typer.echo(
                f"{row['entry_index']:>6}  {row['state']:<12}  due {row['ack_due']}  {who}"
                f"  {row['format']}"
            )


def _box(party: str | None, url: str | None, which: str, *, overdue: bool) -> list[Any]:
    if (party is None) == (url is None):
        raise fail("give either --as CODE or --url URL (with ACCORD_TOKEN)")
    if url is not None:
        import os  # noqa: PLC0415

        token = os.environ.get("ACCORD_TOKEN", "")
        if not token:
            raise fail("set ACCORD_TOKEN to a personal API token to read an inbox with --url")
        query = urllib.parse.urlencode({"box": which, "overdue": str(overdue).lower()})
        return list(served(url, f"/csbm/notifications?{query}", token))
    django_setup()
    from accord.csbm.api import box_of  # noqa: PLC0415 -- after setup
    from accord.forum import queries  # noqa: PLC0415

    if queries.party(str(party)) is None:
        raise fail(f"{party} is not a party to this forum")
    return box_of(str(party), which, overdue=overdue)


def _rules() -> "tuple[int, CsbmRules]":
    """The profile in force on this host, or the shipped default where no forum was founded
    (or no database was made)."""
    from django.db import DatabaseError  # noqa: PLC0415

    from accord.csbm.rules import CsbmRules, csbm_rules  # noqa: PLC0415

    try:
        return csbm_rules()
    except DatabaseError:
        return 0, CsbmRules()


@csbm_app.command("threshold")
def threshold(
    troops: Annotated[int, typer.Option("--troops", help="Troops at the peak.")],
    tanks: Annotated[int, typer.Option("--tanks", help="Battle tanks.")] = 0,
    acv: Annotated[int, typer.Option("--acv", help="Armoured combat vehicles.")] = 0,
    artillery: Annotated[int, typer.Option("--artillery", help="Artillery pieces.")] = 0,
    sorties: Annotated[int, typer.Option("--sorties", help="Aircraft sorties.")] = 0,
    airborne: Annotated[int, typer.Option("--airborne", help="Airborne troops.")] = 0,
    amphibious: Annotated[int, typer.Option("--amphibious", help="Amphibious troops.")] = 0,
    start: Annotated[str | None, typer.Option("--start", help="Start, YYYY-MM-DD.")] = None,
    alert: Annotated[bool, typer.Option("--alert", help="An alert activity.")] = False,  # noqa: FBT002
    as_json: JsonOpt = False,  # noqa: FBT002 -- a Typer flag
    url: ReadUrl = None,
    out: OutOpt = None,
) -> None:
    """What the profile requires of an activity with these forces (notified, observed,
    constrained, and by when with --start), and why, naming the profile version; exits 2
    for figures no activity can have."""
    given = {
        "troops": troops,
        "tanks": tanks,
        "acv": acv,
        "artillery": artillery,
        "sorties": sorties,
        "airborne": airborne,
        "amphibious": amphibious,
    }
    try:
        begins = date.fromisoformat(start) if start else None
    except ValueError:
        fail(f"--start {start!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(code=BAD_INPUT) from None
    django_setup()
    from accord.csbm.api import forces_of  # noqa: PLC0415 -- after setup
    from accord.csbm.thresholds import ALERT, assess  # noqa: PLC0415

    try:
        forces = forces_of(given)
    except ValueError as error:
        fail(f"the forces are not possible figures: {error}")
        raise typer.Exit(code=BAD_INPUT) from None
    with written_to(out):
        if url is not None:
            query = {name: n for name, n in given.items() if n} | {"alert": str(alert).lower()}
            query |= {"start": begins.isoformat()} if begins else {}
            found = served(url, f"/csbm/threshold?{urllib.parse.urlencode(query)}")
        else:
            version, rules = _rules()
            kind = ALERT if alert else ""
            found = assess(forces, rules, version, start=begins, kind=kind).as_json()
        if as_json:
            typer.echo(json.dumps(found, indent=2, ensure_ascii=False))
            return
        yes = {True: "yes", False: "no"}
        typer.echo(
            f"Notifiable: {yes[found['notifiable']]}; observable: {yes[found['observable']]};"
            f" constrained: {yes[found['constrained']]}; notify by: {found['notify_by'] or '—'}"
        )
        for reason in found["reasons"]:
            typer.echo(f"  {reason}")


@csbm_app.command("compliance")
def compliance(
    year: Annotated[int, typer.Option("--year", help="The calendar year.")],
    fmt: Annotated[str, typer.Option("--format", help="text, csv or json.")] = "text",
    url: ReadUrl = None,
    out: OutOpt = None,
) -> None:
    """The year's compliance picture per party: notifications on time and late,
    acknowledgements given and overdue, replies, quotas used."""
    if fmt not in REPORT_FORMATS:
        raise fail(f"{fmt!r} is not a report format; choose one of {', '.join(REPORT_FORMATS)}")
    if not 2000 <= year <= 2200:
        raise fail(f"{year} is not a year the formats know (2000–2200)")
    with written_to(out):
        django_setup()
        from accord.csbm import compliance as picture  # noqa: PLC0415 -- after setup

        if url is not None:
            data = served(url, f"/csbm/compliance/{year}")
            found = picture.Report(
                data["year"],
                data["profile_version"],
                data["regime"],
                data["log_size"],
                [picture.PartyYear(**row) for row in data["parties"]],
            )
        else:
            found = picture.report(year)
        if fmt == "json":
            typer.echo(json.dumps(picture.as_json(found), indent=2, ensure_ascii=False))
        elif fmt == "csv":
            typer.echo(picture.as_csv(found), nl=False)
        else:
            typer.echo(picture.as_text(found), nl=False)


def _transports() -> Any:
    django_setup()
    from accord.csbm import transports  # noqa: PLC0415 -- after setup

    if not hasattr(transports, "dead_letters"):
        raise fail("this host keeps no dead letters yet: accord.csbm.transports has none")
    return transports


@csbm_app.command("dead-letters")
def dead_letters(out: OutOpt = None) -> None:
    """The deliveries given up after their retries, for the operator to look at and retry:
    id, notification, recipient, transport, attempts and the last error."""
    with written_to(out):
        rows = list(_transports().dead_letters())
        if not rows:
            typer.echo("No delivery is in the dead-letter state.")
        for row in rows:
            typer.echo(
                f"{row.pk:>6}  notification {row.notification} → {row.recipient}"
                f" by {row.transport}, {row.attempts} attempts: {row.last_error or '—'}"
            )


@csbm_app.command("retry")
def retry(
    dispatch: Annotated[int, typer.Argument(help="The id dead-letters lists.")],
) -> None:
    """Queue a dead letter for delivery again, from its first attempt."""
    transports = _transports()
    try:
        transports.retry(dispatch)
    except (LookupError, ValueError) as error:
        raise fail(f"delivery {dispatch} cannot be retried: {error}") from None
    typer.echo(f"Delivery {dispatch} is queued again.")
