"""A blob is kept only when the statement it travels with refers to it.

Otherwise anyone with a key could publish anything at ``/log/blob/<sha256>`` —
for instance the clear text of a restricted statement, beside its commitment.
"""

import base64
import hashlib
import json

from django.test import Client

from accord.ledger import blobs
from accord.ledger.models import Blob, Entry, Refusal
from accord.lib import canonical
from tests.ledger.world import A_KEY, World


def test_a_blob_its_statement_does_not_refer_to_is_refused_and_not_served(
    client: Client, world: World
) -> None:
    clear = canonical.dumps({"title": "Notification", "text": "Exercise of 9,000 troops."})
    restricted = world.restricted(seq=1, text="Exercise of 9,000 troops.")
    submission = {
        **restricted.signed.to_json(),
        "restricted": {"salt": restricted.restricted_salt, "body": restricted.restricted_body},
        "blob": base64.b64encode(clear).decode(),
    }
    entries = Entry.objects.count()
    response = client.post(
        "/api/v1/statements", json.dumps(submission), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "blob_unreferenced"
    digest = hashlib.sha256(clear).hexdigest()
    assert not Blob.objects.filter(sha256=digest).exists()
    assert not blobs.path_of(digest).exists()
    assert client.get(f"/log/blob/{digest}").status_code == 404
    assert Entry.objects.count() == entries
    # The statement was signed by a registered key, so its refusal is signed and kept.
    assert Refusal.objects.get().code == "blob_unreferenced"


def test_a_referenced_blob_is_still_kept_and_served(client: Client, world: World) -> None:
    body = canonical.dumps({"title": "Rev.1", "text": "The charter's text. " * 3_000})
    signed = world.signed(A_KEY, blobs.reference(body), seq=1)
    submission = {**signed.to_json(), "blob": base64.b64encode(body).decode()}
    response = client.post(
        "/api/v1/statements", json.dumps(submission), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    digest = hashlib.sha256(body).hexdigest()
    assert client.get(f"/log/blob/{digest}").content == body
