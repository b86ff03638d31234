"""The ledger's commands: found a log, register parties, sign, submit, verify, export, replay.

Commands that work on the host's database set Django up when they run, not
when the CLI loads, so ``accord verify`` and ``accord sign --url`` never
import Django.
"""

import base64
import hashlib
import json
import os
import sys
import tarfile
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from accord.cli.client import OutOpt, binary_stdout, console, fail, http_json, written_to
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.lib import canonical
from accord.tlog import TlogError, note

if TYPE_CHECKING:
    from accord.ledger.audit import Published

log_app = typer.Typer(help="Found, checkpoint and export the log.", no_args_is_help=True)
party_app = typer.Typer(help="Register parties and their keys.", no_args_is_help=True)


def django_setup(*, migrate: bool = False) -> None:
    """Configure Django for commands that use the host's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415 -- only the commands that need the database pay for Django

    django.setup()
    if migrate:
        from django.core.management import call_command  # noqa: PLC0415

        call_command("migrate", verbosity=0, interactive=False)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    )


@log_app.command("init")
def log_init(
    origin: Annotated[
        str, typer.Option("--origin", help="The log's origin, e.g. forum.example/log.")
    ],
    secretariat: Annotated[str, typer.Option(help="The secretariat's party code.")] = "secretariat",
) -> None:
    """Migrate the database, create the log key and the secretariat's key, and found the log."""
    django_setup(migrate=True)
    from accord.ledger.actions import found_log  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415
    from accord.ledger.models import LogState  # noqa: PLC0415

    try:
        found_log(origin, secretariat=secretariat)
    except (Rejected, TlogError) as exc:
        raise fail(str(exc)) from None
    state = LogState.objects.get(pk=1)
    typer.echo(f"Founded the log {origin}.")
    typer.echo(f"Log verifier key: {state.log_vkey}")


@log_app.command("checkpoint")
def log_checkpoint(out: OutOpt = None) -> None:
    """Sign a checkpoint for the log's current size now, and print it."""
    with written_to(out):
        django_setup()
        from accord.ledger.checkpoints import sign_checkpoint  # noqa: PLC0415

        typer.echo(sign_checkpoint().note, nl=False)


STREAM = Path("-")


@log_app.command("export")
def log_export(
    folder: Annotated[
        Path, typer.Argument(help="Folder to write the static log into; - for a tar on stdout.")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="With DIR -: write the tar into FILE instead.")
    ] = None,
) -> None:
    """Write the checkpoint, tiles, entry bundles and public blobs as static files (C2SP layout).

    DIR ``-`` writes the same files as one tar stream on stdout (or into --out FILE).
    """
    if out is not None and folder != STREAM:
        raise fail("--out goes with DIR -, the tar stream; without it, DIR is the folder written")
    if folder == STREAM and out is None and sys.stdout.isatty():
        raise fail("a tar stream would go to the terminal; redirect stdout or give --out FILE")
    with written_to(out):
        django_setup()
        from accord.ledger.checkpoints import sign_checkpoint  # noqa: PLC0415

        checkpoint = sign_checkpoint()
        if folder != STREAM:
            count = _export_folder(folder, checkpoint)
            typer.echo(f"Wrote {count} files for {checkpoint.size} entries to {folder}.")
            return
        with tempfile.TemporaryDirectory(prefix="accord-export-") as staging:
            count = _export_folder(Path(staging), checkpoint)
            _tar(Path(staging), binary_stdout())
        console.print(
            f"Wrote {count} files for {checkpoint.size} entries as a tar stream.", highlight=False
        )


def _export_folder(folder: Path, checkpoint: Any) -> int:
    from accord.ledger.export import export  # noqa: PLC0415

    with _progress() as progress:
        task = progress.add_task("exporting entries", total=checkpoint.size)
        return export(
            folder, checkpoint, lambda done, _total: progress.update(task, completed=done)
        )


def _tar(folder: Path, stream: Any) -> None:
    """The files under ``folder`` as a tar stream, in path order with no owner, time or mode of
    this machine, so the same checkpoint always makes the same bytes. Reads each file once."""
    with tarfile.open(fileobj=stream, mode="w|", format=tarfile.PAX_FORMAT) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            member = tarfile.TarInfo(path.relative_to(folder).as_posix())
            member.size, member.mode, member.mtime = path.stat().st_size, 0o644, 0
            with path.open("rb") as content:
                archive.addfile(member, content)
    stream.flush()


@log_app.command("rewrap")
def log_rewrap() -> None:
    """Re-seal every hosted key and authenticator secret under the current KEK (the first in
    ACCORD_KEK)."""
    django_setup()
    from accord.ledger.custody import HostedKeys  # noqa: PLC0415
    from accord.people import authenticators  # noqa: PLC0415

    count = HostedKeys().rewrap()
    secrets = authenticators.rewrap(authenticators.Authenticator.objects.all())
    typer.echo(
        f"Re-sealed {count} hosted keys and {secrets} authenticator secrets"
        " under the current key-encryption key."
    )


@party_app.command("add")
def party_add(
    code: Annotated[str, typer.Argument(help="The party's code (ISO 3166 alpha-2 for a state).")],
    name: Annotated[str, typer.Option("--name", help="The party's name.")],
    vkey: Annotated[
        str | None, typer.Option("--vkey", help="The party's own verifier key.")
    ] = None,
    *,
    hosted: Annotated[bool, typer.Option("--hosted", help="Make a key the host keeps.")] = False,
) -> None:
    """The secretariat registers a party's first key: its own (--vkey) or hosted (--hosted)."""
    if (vkey is None) == (not hosted):
        raise fail("give exactly one of --vkey VKEY or --hosted")
    django_setup()
    from accord.ledger.actions import register_party  # noqa: PLC0415
    from accord.ledger.errors import Rejected  # noqa: PLC0415

    try:
        accepted = register_party(code, name, vkey=vkey)
    except Rejected as exc:
        raise fail(f"{exc} ({exc.code})") from None
    typer.echo(f"Registered {code} ({name}) at entry {accepted.index}.")


def _forum_and_seq(actor: str, url: str | None) -> tuple[str, int]:
    if url:
        status, answer, _wait = http_json(f"{url.rstrip('/')}/api/v1/parties/{actor}/next-seq")
        if status != 200:
            raise fail(str(answer.get("detail", f"the server answered {status}")))
        try:
            return str(answer["forum"]), int(answer["next_seq"])
        except (KeyError, TypeError, ValueError):
            raise fail("the server's next-seq answer lacks forum or next_seq") from None
    django_setup()
    from accord.ledger.models import ActorSeq, LogState  # noqa: PLC0415

    state = LogState.objects.filter(pk=1).first()
    if state is None:
        raise fail("this database holds no log; give --url of the forum's server")
    last = ActorSeq.objects.filter(actor=actor).values_list("last_seq", flat=True).first() or 0
    return state.origin, last + 1


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def sign(
    statement_file: Annotated[
        Path, typer.Argument(help='JSON: {"kind", "v", "actor", "distribution", "body"}.')
    ],
    key: Annotated[Path, typer.Option("--key", help="The signer key file (from accord keygen).")],
    url: Annotated[
        str | None, typer.Option("--url", help="The forum's server, for the next seq.")
    ] = None,
    seq: Annotated[int | None, typer.Option("--seq", help="Use this sequence number.")] = None,
    out: OutOpt = None,
) -> None:
    """Sign a statement with an own key; print it ready for ``accord submit``.

    Fills ``forum``, ``seq`` (from --seq, the server's next-seq, or the local
    database) and ``at``. A restricted body is replaced by its salted
    commitment and carried beside; a body too large for one entry becomes a blob.
    """
    with written_to(out):
        _sign(statement_file, key, url, seq)


def _sign(statement_file: Path, key: Path, url: str | None, seq: int | None) -> None:
    draft = _read_json(statement_file, "statement file")
    try:
        signer = note.Signer(key.read_text().strip())
    except OSError as exc:
        raise fail(f"cannot read the key file {key}: {exc.strerror}") from None
    except TlogError as exc:
        raise fail(f"the key file {key} holds no signer key: {exc}") from None
    if not isinstance(draft, dict) or not {"kind", "v", "actor", "body"} <= draft.keys():
        raise fail('the statement file needs "kind", "v", "actor" and "body"')
    if not isinstance(draft["v"], int) or not isinstance(draft["body"], dict):
        raise fail('in the statement file, "v" must be a whole number and "body" an object')
    forum, next_seq = _forum_and_seq(str(draft["actor"]), url)
    body = canonical.nfc(draft["body"])
    distribution = str(draft.get("distribution", "public"))
    beside: dict[str, Any] = {}
    if distribution == "restricted":
        salt = base64.b64encode(os.urandom(16)).decode()
        beside["restricted"] = {"salt": salt, "body": body}
        body = {"commitment": _sha256(canonical.dumps({"body": body, "salt": salt}))}
    if len(canonical.dumps(body)) > 30_000:
        blob = canonical.dumps(body)
        beside["blob"] = base64.b64encode(blob).decode()
        body = {"blob": _sha256(blob), "size": len(blob)}
    statement = Statement(
        forum=forum,
        kind=str(draft["kind"]),
        v=int(draft["v"]),
        actor=str(draft["actor"]),
        seq=seq if seq is not None else next_seq,
        at=format_time(datetime.now(UTC)),
        distribution=distribution,
        body=body,
        by=draft.get("by"),
    )
    signed = SignedStatement(statement, signer.sign(statement.signing_bytes()), signer.vkey)
    typer.echo(json.dumps({**signed.to_json(), **beside}, ensure_ascii=False, indent=2))


def submit(
    signed_file: Annotated[Path, typer.Argument(help="The output of accord sign.")],
    url: Annotated[
        str | None, typer.Option("--url", help="The forum's server; default: this host's database.")
    ] = None,
) -> None:
    """Submit a signed statement; print the receipt, or the refusal and exit 1.

    With --url, a 429 answer is waited out as its Retry-After asks (each wait at most
    a minute, at most five times, each one printed) before the statement is sent again.
    """
    raw = _read(signed_file, "signed statement file")
    if url:
        _submit_over_http(f"{url.rstrip('/')}/api/v1/statements", raw)
        return
    django_setup()
    from accord.ledger.errors import Rejected  # noqa: PLC0415
    from accord.ledger.submit import parse_submission  # noqa: PLC0415
    from accord.ledger.submit import submit as submit_statement  # noqa: PLC0415

    try:
        accepted = submit_statement(parse_submission(raw))
    except Rejected as refusal:
        typer.echo(refusal.note or "", nl=False, err=True)
        raise fail(f"{refusal.reason} ({refusal.code})") from None
    typer.echo(f"Accepted at entry {accepted.index}, logged at {accepted.logged_at}.")
    typer.echo(accepted.receipt, nl=False)


RETRIES = 5
LONGEST_WAIT = 60.0


def _submit_over_http(url: str, raw: bytes) -> None:
    for _attempt in range(RETRIES + 1):
        status, answer, retry_after = http_json(url, raw)
        if status != 429:
            break
        wait = min(retry_after if retry_after is not None else 1.0, LONGEST_WAIT)
        console.print(
            f"The server is busy with this client: waiting {wait:g} s as it asks.", highlight=False
        )
        time.sleep(wait)
    if status == 201:
        typer.echo(f"Accepted at entry {answer.get('index')}, logged at {answer.get('logged_at')}.")
        typer.echo(answer.get("receipt", ""), nl=False)
        return
    if "code" in answer and "reason" in answer:
        typer.echo(answer.get("refusal") or "", nl=False, err=True)
        raise fail(f"{answer['reason']} ({answer['code']})")
    raise fail(str(answer.get("detail") or f"the server answered {status}"))


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the {what} {path}: {exc.strerror}") from None


def _read_json(path: Path, what: str) -> Any:
    try:
        return canonical.loads(_read(path, what))
    except canonical.CanonicalError as exc:
        raise fail(f"the {what} {path} is not acceptable JSON: {exc}") from None


def verify(
    location: Annotated[
        str,
        typer.Argument(help="The log's URL (…/log), the forum's address, or an exported folder."),
    ],
    *,
    log_key: Annotated[
        str | None, typer.Option("--log-key", help="Pin the log's verifier key.")
    ] = None,
    accept_new_log: Annotated[
        bool,
        typer.Option(
            "--accept-new-log",
            help="Replace what this machine remembered for the address or log (needs --log-key).",
        ),
    ] = False,
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="A witness policy (c2sp.org/tlog-policy) whose quorum the checkpoint must meet.",
        ),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Check a log from outside: checkpoint, every entry, tile, signature and blob; no database.

    With --policy the checkpoint must also carry the cosignatures its quorum asks
    for; without it, the witness policy the forum serves is reported, not required.
    """
    with written_to(out):
        _verify(location, log_key, accept_new_log=accept_new_log, policy_file=policy)


def _verify(
    location: str, log_key: str | None, *, accept_new_log: bool, policy_file: Path | None
) -> None:
    from accord.ledger.verify import VerifyFailure, unmet, verify_log  # noqa: PLC0415
    from accord.tlog import TlogError  # noqa: PLC0415
    from accord.tlog.policy import Policy  # noqa: PLC0415

    policy = None
    if policy_file is not None:
        try:
            policy = Policy.parse(policy_file.read_text(encoding="utf-8"), plain_witness_keys=True)
        except (OSError, UnicodeDecodeError, TlogError) as exc:
            raise fail(f"{policy_file}: {exc}") from None

    with _progress() as progress:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"checking {stage}", total=total)
            progress.update(tasks[stage], completed=done)

        try:
            verified = verify_log(
                location,
                log_key=log_key,
                progress=report,
                accept_new_log=accept_new_log,
                policy=policy,
            )
        except VerifyFailure as exc:
            raise fail(str(exc)) from None
    typer.echo(f"Verified {verified.origin}: {verified.size} entries, {verified.blobs} blobs.")
    typer.echo(f"Log key {verified.log_key} ({verified.key_trust}).")
    typer.echo(f"Remembered for {verified.location}.")
    if verified.previous_size is not None:
        typer.echo(f"Consistent with the {verified.previous_size} entries this machine saw before.")
    quorum = verified.quorum
    if quorum is not None:
        for cosigned in quorum.cosigned:
            typer.echo(
                f"Cosigned by {cosigned.witness} ({cosigned.algorithm},"
                f" {_epoch_time(cosigned.timestamp)})."
            )
        if quorum.met:
            whose = "the policy given" if quorum.given else "the forum's witness policy"
            typer.echo(f"The quorum {quorum.quorum!r} of {whose} is met.")
        else:
            typer.echo(f"Warning: {unmet(quorum)}.")


def _epoch_time(seconds: int) -> str:
    from datetime import UTC, datetime  # noqa: PLC0415

    return datetime.fromtimestamp(seconds, UTC).strftime("%d %B %Y %H:%M:%S UTC").lstrip("0")


def replay(
    *,
    compare: Annotated[
        bool, typer.Option("--compare", help="Compare with the live database.")
    ] = False,
    size: Annotated[
        int | None,
        typer.Option(
            "--size", min=1, help="Replay only the first N entries: the state when it held N."
        ),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Rebuild every projection from the log alone and print the digests."""
    with written_to(out):
        _replay(compare=compare, size=size)


def _replay(*, compare: bool, size: int | None) -> None:
    django_setup()
    from accord.ledger import digest  # noqa: PLC0415
    from accord.ledger.models import Entry  # noqa: PLC0415
    from accord.ledger.replay import Divergence  # noqa: PLC0415
    from accord.ledger.replay import replay as rebuild  # noqa: PLC0415

    if compare and size is not None:
        raise fail("--compare compares the whole log with the live database; drop --size")
    live = (digest.digest(full=False), digest.digest(full=True)) if compare else None
    with _progress() as progress:
        task = progress.add_task("replaying", total=size or Entry.objects.count())
        try:
            result = rebuild(
                size=size, progress=lambda done, _total: progress.update(task, completed=done)
            )
        except Divergence as exc:
            raise fail(str(exc)) from None
    if live is not None and live != (result.public_digest, result.full_digest):
        raise fail(
            f"the live projections differ from the log: live public digest {live[0]}, replayed"
            f" {result.public_digest}"
        )
    typer.echo(f"Replayed {result.entries} entries.")
    typer.echo(f"public digest {result.public_digest}")
    typer.echo(f"full digest   {result.full_digest}")
    if live is not None:
        typer.echo("The live database matches the log.")


def _seen_checkpoint(path: Path) -> str:
    """A signed checkpoint note, or the one an ``accord verify`` state record keeps."""
    text = path.read_text(encoding="utf-8")
    if not text.lstrip().startswith("{"):
        return text
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"{path} is neither a checkpoint nor an accord verify record: {exc}") from None
    if not isinstance(record, dict) or not isinstance(record.get("checkpoint"), str):
        raise fail(f"{path} is an accord verify record without a checkpoint")
    return str(record["checkpoint"])


def _published(checkpoints: list[Path], receipts: Path | None) -> "Published":
    """What clients and parties hold, read from files, each named by its path."""
    from accord.ledger.audit import Published  # noqa: PLC0415

    try:
        seen = [(str(path), _seen_checkpoint(path)) for path in checkpoints]
        held = []
        if receipts is not None:
            if not receipts.is_dir():
                raise fail(f"{receipts} is not a folder of receipt files")
            files = sorted(path for path in receipts.iterdir() if path.is_file())
            held = [(str(path), path.read_text(encoding="utf-8")) for path in files]
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read what was published: {exc}") from None
    return Published(checkpoints=seen, receipts=held)


def audit(
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoint",
            help="A signed checkpoint a client saw (or an accord verify record of one).",
        ),
    ] = None,
    receipts: Annotated[
        Path | None,
        typer.Option("--receipts", help="A folder of receipts parties hold (note or tlog-proof)."),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Check every stored piece of the log against what it signed; name the first divergence.

    Storage alone cannot show a cut tail: --checkpoint and --receipts compare
    it with what was published.
    """
    with written_to(out):
        _audit(checkpoint or [], receipts)


def _audit(checkpoint: list[Path], receipts: Path | None) -> None:
    django_setup()
    from accord.ledger.audit import AuditFailure  # noqa: PLC0415
    from accord.ledger.audit import audit as run_audit  # noqa: PLC0415

    published = _published(checkpoint, receipts)
    with _progress() as progress:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(f"auditing {stage}", total=total)
            progress.update(tasks[stage], completed=done)

        try:
            result = run_audit(report, published=published)
        except AuditFailure as exc:
            raise fail(str(exc)) from None
    typer.echo(
        f"Audited {result.entries} entries, {result.tiles} tiles, {result.checkpoints} checkpoints,"
        f" {result.receipts} receipts, {result.refusals} refusals and {result.blobs} blobs:"
        " no divergence."
    )
    if result.published_checkpoints or result.published_receipts:
        typer.echo(
            f"Storage reaches the {result.published_checkpoints} checkpoints and"
            f" {result.published_receipts} receipts given."
        )
    else:
        typer.echo(
            "Storage was checked against itself only; give --checkpoint and --receipts"
            " to catch a cut tail."
        )
    for sha256 in result.stray_blobs:
        typer.echo(f"Blob file {sha256} is stored, but no entry refers to it; it is not served.")
    typer.echo(f"public digest {result.public_digest}")


def tick() -> None:
    """Run what is due once: conclude what fell due (a silence whose deadline passed), sign a
    checkpoint if the log has grown; send queued e-mail."""
    django_setup()
    from accord.ledger import outbox  # noqa: PLC0415
    from accord.ledger.checkpoints import latest, sign_checkpoint  # noqa: PLC0415
    from accord.ledger.models import LogState  # noqa: PLC0415
    from accord.ledger.schedule import run_due  # noqa: PLC0415
    from accord.lib import clock  # noqa: PLC0415

    if LogState.objects.filter(pk=1).exists():
        due = run_due(clock.now())
        for sentence in due.done:
            typer.echo(sentence)
        for failure in due.failed:
            typer.echo(f"Not done: {failure}", err=True)
    before = latest()
    after = sign_checkpoint()
    if before is None or before.size != after.size:
        typer.echo(f"Signed a checkpoint at size {after.size}.")
    else:
        typer.echo(f"Nothing was due; the checkpoint at size {after.size} is current.")
    sent = outbox.deliver()
    if sent:
        typer.echo(f"Sent {sent} queued message{'s' if sent != 1 else ''}.")


def serve_plain_http() -> None:
    """Let cookies travel over plain http: ``accord serve`` and ``accord demo`` answer on the
    loopback without TLS, where cookies marked Secure would never come back. Call it before
    Django is set up; an explicit ACCORD_SECURE_COOKIES still wins."""
    os.environ.setdefault("ACCORD_SECURE_COOKIES", "false")


def serve(
    port: Annotated[int, typer.Option("--port", help="The port to listen on (127.0.0.1).")] = 8000,
    interval: Annotated[int, typer.Option(help="Seconds between checkpoints at most.")] = 5,
) -> None:
    """Serve the web app and the log API on the loopback, for the demo and tests; sign a
    checkpoint and send queued e-mail at least every INTERVAL seconds. Production uses
    ``accord web`` and ``accord worker`` (docs/deploy.md)."""
    serve_plain_http()
    django_setup(migrate=True)
    from django.core.management import call_command  # noqa: PLC0415

    from accord.cli.worker import run_rounds  # noqa: PLC0415 -- it imports this module
    from accord.ledger.models import LogState  # noqa: PLC0415

    state = LogState.objects.filter(pk=1).first()
    if state is not None:
        typer.echo(f"Log {state.origin}; verifier key {state.log_vkey}")
    rounds = threading.Thread(
        target=run_rounds, args=(threading.Event(), interval), name="worker", daemon=True
    )
    rounds.start()
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
