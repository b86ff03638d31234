"""Bad input to ``POST /api/v1/statements`` and ``accord submit``: a 4xx and a sentence, no 500.

Each case here once answered 500 with a traceback. Input nobody provably signed
is answered without writing a row: a signed refusal is owed to a party that
signed something, not to noise.
"""

import json
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings as SettingsWrapper
from typer.testing import CliRunner

from accord.cli.main import app
from accord.ledger.api import max_submission_bytes
from accord.ledger.models import Entry, Refusal
from tests.ledger.world import World, skey
from tests.processes import process_environment, run_accord, start_server


def _post(client: Client, body: bytes) -> tuple[int, dict[str, object]]:
    response = client.post("/api/v1/statements", body, content_type="application/json")
    return response.status_code, response.json()


def _good(world: World) -> str:
    return json.dumps(world.communique(seq=1).signed.to_json())


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def generous(settings: SettingsWrapper) -> None:
    # These tests are about what one bad submission gets back, not about how many are allowed.
    settings.ACCORD_ADDRESS_BURST = 100_000


@pytest.mark.usefixtures("generous")
def test_a_seq_of_5000_digits_is_answered_400_and_writes_nothing(
    client: Client, world: World
) -> None:
    raw = _good(world).replace('"seq": 1', '"seq": ' + "9" * 5000).encode()
    before = (Entry.objects.count(), Refusal.objects.count())
    status, answer = _post(client, raw)
    assert (status, answer["code"]) == (400, "big_integer")
    assert answer["refusal"] is None
    assert (Entry.objects.count(), Refusal.objects.count()) == before


@pytest.mark.usefixtures("generous")
def test_objects_nested_2000_deep_are_answered_400(client: Client, world: World) -> None:
    raw = _good(world).replace('"Proposed agenda."', _deep(2000)).encode()
    status, answer = _post(client, raw)
    assert (status, answer["code"]) == (400, "too_deep")
    assert "nested" in str(answer["reason"])
    assert Refusal.objects.count() == 0


@pytest.mark.usefixtures("generous")
def test_a_5_mb_body_is_answered_400_not_500(client: Client, world: World) -> None:
    raw = b'{"statement": "' + b"x" * 5_000_000 + b'"}'
    status, answer = _post(client, raw)
    assert (status, answer["code"]) == (400, "malformed")
    assert Refusal.objects.count() == 0


@pytest.mark.usefixtures("generous")
def test_a_body_beyond_the_submission_limit_is_answered_413_with_a_sentence(
    client: Client, world: World
) -> None:
    raw = b" " * (max_submission_bytes() + 1)
    status, answer = _post(client, raw)
    assert status == 413
    assert str(answer["detail"]).startswith("A submission may be at most ")
    assert Refusal.objects.count() == 0


@pytest.mark.usefixtures("generous")
def test_a_statement_nobody_signed_gets_a_clear_error_and_no_row(
    client: Client, world: World
) -> None:
    forged = {**json.loads(_good(world)), "signature": "A" * 86 + "=="}
    status, answer = _post(client, json.dumps(forged).encode())
    assert (status, answer["code"], answer["refusal"]) == (403, "bad_signature", None)
    assert Refusal.objects.count() == 0


# Mutations a careless or hostile client makes to a good submission.
_MUTATIONS = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    ).map(lambda value: json.dumps(value).encode()),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=_MUTATIONS, field=st.sampled_from(["statement", "signature", "key", "blob", "seq"]))
@pytest.mark.usefixtures("generous")
def test_fuzzed_submissions_are_answered_4xx_and_never_written(
    client: Client, world: World, junk: bytes, field: str
) -> None:
    good = json.loads(_good(world))
    try:
        value = json.loads(junk)
    except ValueError:
        value = junk.decode("utf-8", "replace")
    if field == "seq":
        assume(value != 1)  # that is the good statement itself
        good["statement"]["seq"] = value
    else:
        good[field] = value
    for raw in (junk, json.dumps(good).encode()):
        response = client.post("/api/v1/statements", raw, content_type="application/json")
        assert 400 <= response.status_code < 500, response.content
        answer = response.json()
        assert answer["code"]
        assert answer["reason"]
    # A junk blob beside a good statement is refused with a signed refusal: A signed it.
    assert not Refusal.objects.exclude(code="blob_unreferenced").exists()
    assert Entry.objects.count() == 4


def _cli(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(arguments))
    return result.exit_code, " ".join(result.output.split())  # as read, not as wrapped


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"statement": 1, "seq": ' + "9" * 5000 + "}", "at most 16 digits"),
        (_deep(2000), "nested"),
        ("not json", "not JSON"),
        ('{"statement": {}, "signature": "", "key": ""}', "statement fields: missing"),
    ],
)
def test_accord_submit_prints_one_sentence_for_bad_input(
    world: World, tmp_path: Path, content: str, expected: str
) -> None:
    signed_file = tmp_path / "signed.json"
    signed_file.write_text(content)
    status, output = _cli("submit", str(signed_file))
    assert status == 1
    assert expected in output
    assert "Traceback" not in output
    assert output.count("Error:") == 1
    assert Refusal.objects.count() == 0


def test_accord_submit_of_a_missing_file_prints_one_sentence(world: World, tmp_path: Path) -> None:
    status, output = _cli("submit", str(tmp_path / "nowhere.json"))
    assert status == 1
    assert "cannot read" in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ('{"kind": "ledger.communique.published", "v": "one", "actor": "AA", "body": {}}', '"v"'),
        (_deep(2000), "nested"),
        ('{"kind": 1}', "needs"),
    ],
)
def test_accord_sign_prints_one_sentence_for_a_bad_draft(
    world: World, tmp_path: Path, draft: str, expected: str
) -> None:
    key = tmp_path / "key"
    key.write_text(skey("aa.example"))
    draft_file = tmp_path / "draft.json"
    draft_file.write_text(draft)
    status, output = _cli("sign", str(draft_file), "--key", str(key), "--seq", "1")
    assert status == 1
    assert expected in output
    assert "Traceback" not in output


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/log/key", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


def test_accord_submit_against_a_live_server_prints_one_sentence_and_honours_429(
    tmp_path: Path,
) -> None:
    environment = {
        **process_environment(f"sqlite:///{tmp_path / 'live.sqlite3'}", tmp_path),
        # One unverified submission, then one a second: the junk below empties the bucket.
        "ACCORD_ADDRESS_BURST": "1",
        "ACCORD_ADDRESS_PER_MINUTE": "60",
    }
    run_accord(environment, "log", "init", "--origin", "forum.example/log")
    run_accord(environment, "keygen", "aa.example", "--out", str(tmp_path))
    vkey = (tmp_path / "aa.example.pub").read_text().strip()
    run_accord(environment, "party", "add", "AA", "--name", "State A", "--vkey", vkey)
    draft = tmp_path / "draft.json"
    body = {"title": "Agenda", "text": "Minsk, 31 October."}
    draft.write_text(
        json.dumps({"kind": "ledger.communique.published", "v": 1, "actor": "AA", "body": body})
    )
    signed = tmp_path / "signed.json"
    signed.write_text(
        run_accord(environment, "sign", str(draft), "--key", str(tmp_path / "aa.example.key"))
    )
    junk = tmp_path / "junk.json"
    junk.write_text("[" * 2000)
    server, url = start_server(environment)
    try:
        _wait_for(url)
        status, refused = _cli("submit", str(junk), "--url", url)
        assert status == 1
        assert "nested at most 64 deep (too_deep)" in refused
        # The address has spent its allowance on junk: the good statement waits its turn.
        status, accepted = _cli("submit", str(signed), "--url", url)
        assert status == 0, accepted
        assert "waiting" in accepted
        assert "as it asks" in accepted
        assert "Accepted at entry 2" in accepted
        status, replayed = _cli("submit", str(signed), "--url", url)
        assert status == 1
        assert "(bad_seq)" in replayed
    finally:
        server.terminate()
        server.communicate(timeout=30)
    status, unreachable = _cli("submit", str(signed), "--url", url)
    assert status == 1
    assert unreachable.startswith(f"Error: cannot reach {url}")
    for output in (refused, accepted, replayed, unreachable):
        assert "Traceback" not in output
