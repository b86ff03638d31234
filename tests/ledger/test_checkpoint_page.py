"""The checkpoint page, the witnesses' standing, and the warning every page shows while the
forum's witness policy is unmet, in English and Russian."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from accord.ledger import cosigning
from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.explorer import failure_in_words
from accord.ledger.witnesses import WitnessEndpoint
from accord.tlog.cosignature import Cosigner
from tests.ledger.witnessing import ForumWitnesses, ThreadedWitness, install, real_witness
from tests.ledger.world import LOG_KEY, World, skey
from tests.processes import free_port


@pytest.fixture
def forum() -> Iterator[ForumWitnesses]:
    yield from install(ForumWitnesses())


@pytest.fixture
def running() -> Iterator[list[ThreadedWitness]]:
    started: list[ThreadedWitness] = []
    yield started
    for witness in started:
        witness.close()


def _grow(world: World, count: int, start: int = 1) -> None:
    for seq in range(start, start + count):
        world.submit(world.communique(seq=seq, text=f"Statement {seq}."))


def _dead(name: str, party: str) -> WitnessEndpoint:
    # A port just freed: nothing listens there, so the witness fails at once.
    url = f"http://127.0.0.1:{free_port()}"
    return WitnessEndpoint(name, (Cosigner(skey(name)).vkey,), url, party, counts=True)


def test_while_the_policy_is_unmet_every_page_names_the_missing_witnesses_and_since_when(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    _grow(world, 2)
    alive = real_witness("aa.example/witness")
    running.append(alive.running)
    forum.set([alive.endpoint("AA"), _dead("bb.example/witness", "BB")], quorum="all")
    cosigning.collect(sign_checkpoint())
    for path in ("/explorer/", "/explorer/1", "/explorer/checkpoint"):
        page = client.get(path).content.decode()
        assert 'role="alert"' in page, path
        assert "has not met the forum's witness policy" in page, path
        assert "<code>bb.example/witness</code> (State B), failing since" in page, path
        assert (
            "aa.example/witness</code> (State A)"
            not in page.split('role="alert"')[1].split("</p>")[0]
        )
    russian = client.get("/explorer/", headers={"accept-language": "ru"}).content.decode()
    assert "не соответствует политике свидетелей форума" in russian
    assert "<code>bb.example/witness</code> (State B), сбои с" in russian


def test_no_warning_shows_once_the_policy_is_met_or_when_the_forum_has_none(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    _grow(world, 2)
    sign_checkpoint()
    assert 'role="alert"' not in client.get("/explorer/").content.decode()
    alive = real_witness("aa.example/witness")
    running.append(alive.running)
    forum.set([alive.endpoint("AA")])
    assert 'role="alert"' in client.get("/explorer/").content.decode()
    cosigning.collect()
    assert 'role="alert"' not in client.get("/explorer/").content.decode()


def test_the_checkpoint_page_lists_each_cosignature_and_each_witness_with_its_lag(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    _grow(world, 2)
    alive = real_witness("aa.example/witness", mldsa=True)
    running.append(alive.running)
    forum.set([alive.endpoint("AA"), _dead("cc.example/witness", "CC")], quorum="any")
    first = sign_checkpoint()
    cosigning.collect(first)
    _grow(world, 3, start=3)
    latest = sign_checkpoint()
    old_page = client.get(f"/explorer/checkpoint/{first.size}").content.decode()
    assert f"Checkpoint at size {first.size}" in old_page
    assert "Ed25519" in old_page
    assert "ML-DSA-44" in old_page
    assert old_page.count("<code>aa.example/witness</code>") >= 2
    assert "State A" in old_page
    assert "the latest covers" in old_page
    page = client.get("/explorer/checkpoint").content.decode()
    assert f"Checkpoint at size {latest.size}" in page
    assert "No witness has cosigned this checkpoint yet." in page
    assert f"last cosigned size {first.size}, 3 entries and " in page  # and some seconds
    assert "could not be reached" in page
    assert client.get("/explorer/checkpoint/99999").status_code == 404


def test_the_checkpoint_page_reads_in_russian(
    world: World, forum: ForumWitnesses, client: Client
) -> None:
    _grow(world, 1)
    checkpoint = sign_checkpoint()
    page = client.get("/explorer/checkpoint", headers={"accept-language": "ru"}).content.decode()
    assert f"Контрольная точка размера {checkpoint.size}" in page
    assert "Cosignatures" not in page


def test_a_party_with_no_witness_is_named_as_missing_by_its_group_in_the_policy(
    world: World, forum: ForumWitnesses, running: list[ThreadedWitness], client: Client
) -> None:
    _grow(world, 1)
    alive = real_witness("aa.example/witness")
    running.append(alive.running)
    nobody = Cosigner(skey("placeholder")).vkey
    policy = (
        f"log {LOG_KEY.vkey}\nwitness aa.example/witness {alive.cosigners[0].vkey}\n"
        f"witness missing+CC {nobody}\ngroup party+AA any aa.example/witness\n"
        "group party+CC any missing+CC\ngroup quorum+parties 2 party+AA party+CC\n"
        "quorum quorum+parties\n"
    )
    forum.set_policy([alive.endpoint("AA")], policy)
    cosigning.collect(sign_checkpoint())
    response = client.get("/explorer/")
    page = response.content.decode()
    assert "State C has registered no witness" in page
    assert client.get("/log/checkpoint")["Accord-Witnesses-Missing"] == "missing+CC"
    russian = client.get("/explorer/", headers={"accept-language": "ru"}).content.decode()
    assert "State C: свидетель не зарегистрирован" in russian


@pytest.mark.parametrize(
    "error",
    [
        "did not answer within 5 seconds",
        "could not be reached: [Errno 111] Connection refused",
        "cosigned with a key it was not registered with (impostor)",
        "sent a cosignature by forger that does not verify",
        "the witness holds size 3, not 0",
        "the witness has cosigned size 90, beyond this checkpoint's size 7: it has seen more",
        "answered more than 65536 bytes",
        "answered 200 with '<html>', which is not cosignatures",
        "answered 409 with 'x', which is not a size",
        "answered 500: the witness's state cannot be read",
    ],
)
def test_every_failure_the_collector_records_reads_in_russian(error: str) -> None:
    with translation.override("ru"):
        worded = failure_in_words(error)
    assert worded != error
    assert worded.isascii() is False


def test_the_witnesses_failure_reads_in_the_readers_language_with_the_detail_as_tooltip(
    world: World, forum: ForumWitnesses, client: Client
) -> None:
    _grow(world, 1)
    forum.set([_dead("cc.example/witness", "CC")])
    cosigning.collect(sign_checkpoint())
    page = client.get("/explorer/checkpoint", headers={"accept-language": "ru"}).content.decode()
    assert 'title="could not be reached: ' in page
    assert ">недоступен</span>" in page
