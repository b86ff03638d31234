"""One path for every act of every app from a terminal: on the host, with a token, or an own key.

Each app's acting command collects its act's body fields and calls ``perform``
with how the person chose to act:

- ``--as CODE [--person HANDLE]``: on the host, with the key it keeps for CODE;
- ``--url URL`` with ``ACCORD_TOKEN``: the server signs with the key it keeps
  for the token's person;
- ``--url URL --key FILE``: this machine signs. The command finds the party the
  key is registered to, proves that registration and every entry the
  statement refers to are in the log the log key signs (the key pinned with
  ``--log-key`` or remembered by ``accord verify``), builds the statement,
  signs it and sends it to ``POST /api/v1/statements``. ``--dry-run`` prints
  the statement unsigned. The host steers nothing the key signs: it supplies
  only the next sequence number, and a wrong one is refused, not signed twice.

An accepted act prints its receipts on stdout, the last ending with what the
act made (an entry index or a handle) as its last word; a refusal prints its
sentence and code on stderr and exits 1.
"""

import base64
import binascii
import inspect
import json
import os
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from accord.cli.client import fail, http_json, refused
from accord.cli.ledger import django_setup
from accord.ledger.envelope import Entry, EnvelopeError, SignedStatement, Statement, format_time
from accord.ledger.memory import Memory, StateDamaged
from accord.ledger.verify import state_folder
from accord.lib import canonical
from accord.tlog import TlogError, note
from accord.tlog.checkpoint import open_checkpoint
from accord.tlog.merkle import leaf_hash, verify_inclusion

if TYPE_CHECKING:
    from accord.ledger.acts import Act

Url = Annotated[
    str | None,
    typer.Option("--url", help="Act on this server (token in ACCORD_TOKEN, or --key)."),
]
As = Annotated[str | None, typer.Option("--as", help="Act on this host for party CODE.")]
PersonOpt = Annotated[
    str | None, typer.Option("--person", help="With --as: the person acting (default: the head).")
]
KeyOpt = Annotated[
    Path | None,
    typer.Option("--key", help="With --url: sign here with this own signer key file."),
]
LogKeyOpt = Annotated[
    str | None,
    typer.Option("--log-key", help="With --key: pin the log's verifier key (else remembered)."),
]
COVERING_WAIT = timedelta(seconds=15)
"""How long an own-key command waits for a checkpoint over an entry it must prove: a server
checkpoints every few seconds, so a command may take the entry the one before just made."""

DryRun = Annotated[
    bool, typer.Option("--dry-run", help="With --key: print the statement; sign nothing.")
]


@dataclass(frozen=True)
class Way:
    """How the person chose to act, from the command's options."""

    url: str | None = None
    party: str | None = None
    person: str | None = None
    key: Path | None = None
    log_key: str | None = None
    dry_run: bool = False


WAYS: tuple[tuple[str, Any, Any], ...] = (
    ("url", Url, None),
    ("party", As, None),
    ("person", PersonOpt, None),
    ("key", KeyOpt, None),
    ("log_key", LogKeyOpt, None),
    ("dry_run", DryRun, False),
)
"""The options every acting command takes, as (parameter, annotation, default); their
parameter names are ``Way``'s fields."""


def acting(kind: str) -> Callable[[Callable[..., dict[str, Any]]], Callable[..., None]]:
    """Make an acting command of a function that turns its own arguments and options into the
    body's fields of ``kind``: the command also takes every way to act (``WAYS``) and
    performs the act. A function with a ``way`` parameter is given the way chosen (to
    resolve a symbol through ``--url``, or to fetch what an own key signs)."""

    def command_of(fields_of: Callable[..., dict[str, Any]]) -> Callable[..., None]:
        signature = inspect.signature(fields_of)
        takes_way = "way" in signature.parameters
        own = [p for p in signature.parameters.values() if p.name != "way"]
        ways = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind_of
            )
            for name, kind_of, default in WAYS
        ]

        def command(**given: Any) -> None:
            way = Way(**{name: given.pop(name) for name, _kind_of, _default in WAYS})
            fields = fields_of(**given, way=way) if takes_way else fields_of(**given)
            perform(kind, fields, way)

        command.__name__, command.__qualname__ = fields_of.__name__, fields_of.__qualname__
        command.__doc__, command.__module__ = fields_of.__doc__, fields_of.__module__
        command.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*own, *ways], return_annotation=None
        )
        command.__annotations__ = {p.name: p.annotation for p in [*own, *ways]} | {"return": None}
        return command

    return command_of


def perform(kind: str, fields: dict[str, Any], way: Way) -> None:
    """Make the act declared for ``kind`` with the body ``fields``, the way chosen."""
    if (way.url is None) == (way.party is None):
        raise fail("give either --url (with ACCORD_TOKEN or --key FILE) or --as CODE")
    if way.key is None and (way.log_key is not None or way.dry_run):
        raise fail("--log-key and --dry-run go with --url URL --key FILE")
    if way.person is not None and way.party is None:
        raise fail("--person goes with --as CODE")
    django_setup()
    from accord.ledger.acts import act_for  # noqa: PLC0415 -- the apps declare acts when Django loads

    act = act_for(kind)
    if act is None:
        raise fail(f"no act is declared for {kind}")
    if way.party is not None:
        _on_host(act, fields, way.party, way.person)
    elif way.key is not None:
        assert way.url is not None
        _with_own_key(act, fields, way.url.rstrip("/"), way)
    else:
        assert way.url is not None
        _with_token(act, fields, way.url.rstrip("/"))


def print_receipts(act: "Act", receipts: list[dict[str, Any]], fields: dict[str, Any]) -> None:
    """Each receipt on a line, the act's own last, ending with what it made."""
    own = [one for one in receipts if one["kind"] == act.kind]
    for one in [one for one in receipts if one["kind"] != act.kind] + own:
        made = fields[act.names] if act.names else one["index"]
        tail = f": {made}" if one is own[-1] else "."
        typer.echo(f"Accepted as entry {one['index']} ({one['kind']}) at {one['logged_at']}{tail}")


def _on_host(act: "Act", fields: dict[str, Any], party: str, person: str | None) -> None:
    from accord.forum import actions  # noqa: PLC0415
    from accord.ledger.api import receipt_of  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    try:
        accepted = act.action(actions.as_party(party, person), dict(fields))
    except Rejected as refusal:
        raise fail(f"{refusal} ({refusal.code})") from None
    print_receipts(act, [receipt_of(one) for one in accepted], fields)


def _with_token(act: "Act", fields: dict[str, Any], url: str) -> None:
    token = os.environ.get("ACCORD_TOKEN", "")
    if not token:
        raise fail("set ACCORD_TOKEN to a personal API token to act with --url")
    method_path = act.api.split(" ", 1)[1]
    body = {name: value for name, value in fields.items() if value is not None}
    path = method_path.format(**body)
    for name in [*act.query, *(n for n in body if "{" + n + "}" in method_path)]:
        body.pop(name, None)
    query = {name: fields[name] for name in act.query if fields.get(name) is not None}
    path += f"?{urllib.parse.urlencode(query)}" if query else ""
    status, answer, _wait = http_json(f"{url}/api/v1{path}", json.dumps(body).encode(), token)
    if status == 401:
        raise fail("the server refused the token in ACCORD_TOKEN")
    if status != 201:
        raise refused(answer, status)
    print_receipts(act, answer["receipts"], fields)


def _with_own_key(act: "Act", fields: dict[str, Any], url: str, way: Way) -> None:
    answer = sign_and_submit(act, fields, url, way)
    if answer is not None:
        print_receipts(act, [answer], fields)


def sign_and_submit(
    act: "Act", fields: dict[str, Any], url: str, way: Way
) -> dict[str, Any] | None:
    """Sign ``act``'s statement with the own key and submit it: the receipt answered, or
    None for ``--dry-run`` (the statement printed, nothing signed). A command that signs two
    statements in turn (``accord csbm notify``: the sealed content, then the notification
    naming its entry) calls this once for each."""
    assert way.key is not None
    url = url.rstrip("/")
    signer = _signer(way.key)
    log_key = _log_key(url, way.log_key)
    party, origin = _registered_party(url, signer.vkey, log_key)
    fields = dict(fields)
    distribution = str(fields.pop("distribution", "public"))
    if distribution not in act.body.distributions:
        raise fail(f"{act.kind} is not made {distribution}")
    if "invitation" in act.refers and fields.get("invitation") is None:
        fields["invitation"] = _open_invitation(url, party)
    for name, kind in act.refers.items():
        _proven(url, int(fields[name]), log_key, kind)
    try:
        body = act.body.model_validate_json(json.dumps(fields)).model_dump(mode="json")
    except ValidationError as exc:
        raise fail(f"the {act.kind} body does not fit its schema: {exc}") from None
    forum, seq = _next_seq(url, party)
    if forum != origin:
        raise fail(f"the server names the forum {forum!r}, but its log key signs {origin!r}")
    body = canonical.nfc(body)
    shown, blob, salt = (
        _sealed(body) if distribution == "restricted" else (*_beside_the_log(body), None)
    )
    statement = Statement(
        forum=forum,
        kind=act.kind,
        v=act.v,
        actor=party,
        seq=seq,
        at=format_time(datetime.now(UTC)),
        distribution=distribution,
        body=shown,
    )
    if way.dry_run:
        typer.echo(json.dumps(statement.to_json(), ensure_ascii=False, indent=2))
        return None
    signed = SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
    submission = signed.to_json()
    if blob is not None:
        submission["blob"] = base64.b64encode(blob).decode()
    if salt is not None:
        submission["restricted"] = {"salt": salt, "body": body}
    raw = canonical.dumps(submission)
    status, answer, _wait = http_json(f"{url}/api/v1/statements", raw)
    if status != 201:
        raise refused(answer, status)
    return answer


def registered_party(url: str, way: Way) -> str:
    """The party the own key in ``way`` is registered to, proven from the log the log key
    signs (a command computing what it signs before signing, as ``accord csbm notify``)."""
    assert way.key is not None
    signer = _signer(way.key)
    return _registered_party(url.rstrip("/"), signer.vkey, _log_key(url, way.log_key))[0]


def _sealed(body: dict[str, Any]) -> tuple[dict[str, Any], None, str]:
    """A restricted body as the statement carries it (only the commitment), no blob, and the
    salt that travels beside it with the clear body, for the host to check and keep."""
    from accord.ledger.restricted import commitment_of, new_salt  # noqa: PLC0415 -- after setup

    salt = new_salt()
    return {"commitment": commitment_of(salt, body)}, None, salt


def _beside_the_log(body: dict[str, Any]) -> tuple[dict[str, Any], bytes | None]:
    """The body the statement carries, and the blob that travels beside it: a body past half
    an entry's limit (an imported charter, a whole revision's text) goes as a blob reference,
    which the signature covers, as the host does for the statements it signs. One
    serialisation and, for a blob, one SHA-256."""
    from accord.ledger import blobs  # noqa: PLC0415 -- Django is set up by perform
    from accord.tlog.tiles import MAX_ENTRY_BYTES  # noqa: PLC0415

    data = canonical.dumps(body)
    if len(data) <= MAX_ENTRY_BYTES // 2:
        return body, None
    return blobs.reference(data), data


def _signer(path: Path) -> note.Signer:
    try:
        return note.Signer(path.read_text(encoding="utf-8").strip())
    except OSError as exc:
        raise fail(f"cannot read the key file {path}: {exc.strerror}") from None
    except TlogError as exc:
        raise fail(f"the key file {path} holds no signer key: {exc}") from None


def _log_key(url: str, pinned: str | None) -> str:
    """The pinned log key, else the one ``accord verify`` remembered for this address."""
    parts = urllib.parse.urlsplit(url)
    address = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
    try:
        memory = Memory(state_folder())
        seen = memory.at_location(address + "/log") or memory.at_location(address)
    except StateDamaged as exc:
        raise fail(str(exc)) from None
    if pinned and seen and seen.log_key != pinned:
        raise fail(
            f"the key given ({pinned}) is not the log key this machine saw at {address}"
            f" ({seen.log_key}); check it with the forum out of band"
        )
    if pinned:
        return pinned
    if seen is None:
        raise fail(
            f"this machine has not checked the log at {address}: run accord verify {address}"
            " once, or give --log-key with the key the forum publishes"
        )
    return seen.log_key


def _registered_party(url: str, vkey: str, log_key: str) -> tuple[str, str]:
    """The party ``vkey`` is registered to, proven by the registering entry's inclusion,
    and the log's origin, as the log key signs it."""
    status, found, _wait = http_json(f"{url}/api/v1/keys?{urllib.parse.urlencode({'vkey': vkey})}")
    if status != 200:
        raise fail(f"{url} knows no party with the key {vkey}; give the secretariat its .pub")
    if found.get("revoked_at") is not None:
        raise fail(f"the key was revoked at entry {found['revoked_at']}; sign with a current key")
    statement, origin = _proven(url, int(found["added_at"]), log_key, None)
    body, party = statement.body, str(found["party"])
    registers = vkey in (body.get("vkey"), body.get("new"), body.get("secretariat_key"))
    owner = body.get("party", body.get("secretariat", statement.actor))
    if not registers or owner != party:
        raise fail(f"entry {found['added_at']} does not register this key for {party}")
    return party, origin


def _proven(url: str, index: int, log_key: str, kind: str | None) -> tuple[Statement, str]:
    """Entry ``index``'s statement, its signature checked and its inclusion proven under a
    checkpoint the log key signs (of ``kind`` when one is named), and that log's origin.
    One request, or one every half second for up to ``COVERING_WAIT`` while no checkpoint
    covers the entry yet (one made by the command just before)."""
    deadline = time.monotonic() + COVERING_WAIT.total_seconds()
    while True:
        status, document, _wait = http_json(f"{url}/log/entry/{index}")
        if status != 200 or document.get("checkpoint") is not None:
            break
        if time.monotonic() > deadline:
            raise fail(
                f"no checkpoint covers entry {index} yet; wait for the next one and run the"
                " command again"
            )
        time.sleep(0.5)
    if status != 200:
        raise fail(
            f"entry {index} is not served with a proof ({status}); if it is new, wait for the"
            " next checkpoint"
        )
    try:
        leaf = canonical.dumps(document["entry"])
        entry = Entry.from_bytes(leaf)
        entry.signed.verify()
        checkpoint, _ = open_checkpoint(str(document["checkpoint"]), [note.Verifier(log_key)])
        proof = [base64.b64decode(h, validate=True) for h in document["inclusion_proof"]]
        verify_inclusion(leaf_hash(leaf), index, checkpoint.size, proof, checkpoint.root)
    except (KeyError, TypeError, binascii.Error, canonical.CanonicalError, EnvelopeError) as exc:
        raise fail(f"entry {index} as served does not check: {exc}") from None
    except TlogError as exc:
        raise fail(
            f"entry {index} is not proven to be in the log the log key signs: {exc}"
        ) from None
    statement = entry.signed.statement
    if kind is not None and statement.kind != kind:
        raise fail(f"entry {index} is a {statement.kind}, not a {kind}")
    if statement.forum != checkpoint.origin:
        raise fail(f"entry {index} belongs to {statement.forum}, not to {checkpoint.origin}")
    return statement, checkpoint.origin


def _open_invitation(url: str, party: str) -> int:
    status, answer, _wait = http_json(
        f"{url}/api/v1/forum/invitations/open?{urllib.parse.urlencode({'party': party})}"
    )
    if status != 200:
        raise refused(answer, status)
    return int(answer["entry_index"])


def _next_seq(url: str, party: str) -> tuple[str, int]:
    status, answer, _wait = http_json(f"{url}/api/v1/parties/{party}/next-seq")
    if status != 200:
        raise refused(answer, status)
    return str(answer["forum"]), int(answer["next_seq"])
