"""What the CLI, views and API call to act on the ledger; each act is one ``submit``.

Actions build a body, normalise its text to NFC and hand it to ``submit`` or
``submit_hosted``; they never write projections themselves.
"""

from typing import Any

from django.db import transaction

from accord.ledger.custody import HostedKeys, KeyCustody
from accord.ledger.envelope import SignedStatement, Statement, format_time
from accord.ledger.errors import NotAllowed
from accord.ledger.models import LogState
from accord.ledger.submit import Accepted, Submission, submit, submit_hosted
from accord.lib import canonical, clock
from accord.tlog import note

SECRETARIAT = "secretariat"


def found_log(
    origin: str,
    *,
    secretariat: str = SECRETARIAT,
    custody: KeyCustody | None = None,
    log_skey: str | None = None,
    secretariat_skey: str | None = None,
) -> Accepted:
    """Create the log key and the secretariat's key (both hosted) and found the log.

    Fresh keys are generated unless given (a reproducible demo or test passes
    its own). Refuses to run on a database that already holds a log.
    """
    keys = custody or HostedKeys()
    name = origin.replace(" ", "_")
    note.check_name(name)
    with transaction.atomic():
        if LogState.objects.exists():
            raise NotAllowed(
                "this database already holds a log; it can be founded only once", "already_founded"
            )
        log_vkey = keys.hold("log", log_skey or note.generate_key(name)[0])
        secretariat_vkey = keys.hold(
            secretariat, secretariat_skey or note.generate_key(f"{secretariat}.{name}")[0]
        )
        LogState.objects.create(origin=origin, log_vkey=log_vkey, secretariat=secretariat)
        statement = Statement(
            forum=origin,
            kind="ledger.log.founded",
            v=1,
            actor=secretariat,
            seq=1,
            at=format_time(clock.now()),
            distribution="public",
            body={
                "origin": origin,
                "log_key": log_vkey,
                "secretariat": secretariat,
                "secretariat_key": secretariat_vkey,
                "custody": "hosted",
            },
        )
        signature = keys.signer(secretariat_vkey).sign(statement.signing_bytes())
        signed = SignedStatement(statement, signature, secretariat_vkey)
        return submit(Submission(signed), custody=keys)


def register_party(
    code: str,
    name: str,
    *,
    vkey: str | None = None,
    custody: KeyCustody | None = None,
    hosted_skey: str | None = None,
) -> Accepted:
    """The secretariat registers a party with its own key (``vkey``) or a key the host keeps."""
    keys = custody or HostedKeys()
    secretariat = LogState.objects.values_list("secretariat", flat=True).get()
    with transaction.atomic():
        if vkey is None:
            origin = LogState.objects.values_list("origin", flat=True).get()
            name_of_key = f"{code}.{origin.replace(' ', '_')}"
            vkey = keys.hold(code, hosted_skey or note.generate_key(name_of_key)[0])
            held = "hosted"
        else:
            held = "own"
        body = {"party": code, "name": name, "vkey": vkey, "custody": held}
        return submit_hosted(
            actor=secretariat, kind="ledger.party.registered", v=1, body=body, custody=keys
        )


def publish_communique(
    party: str, title: str, text: str, *, distribution: str = "public", by: str | None = None
) -> Accepted:
    """A party with a hosted key publishes a communiqué."""
    body: dict[str, Any] = canonical.nfc({"title": title, "text": text})
    return submit_hosted(
        actor=party,
        kind="ledger.communique.published",
        v=1,
        body=body,
        by=by,
        distribution=distribution,
    )
