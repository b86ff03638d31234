"""The log explorer: readable without script, every entry checked on the page, and escaped."""

import pytest
from django.test import Client

from accord.ledger.checkpoints import sign_checkpoint
from accord.ledger.models import Entry
from tests.ledger.world import LOG_KEY, World


@pytest.fixture
def logged(world: World) -> World:
    world.submit(
        world.communique(seq=1, title="<script>alert(1)</script>", text="Minsk & Budapest")
    )
    sign_checkpoint()
    world.submit(world.communique(seq=2))
    return world


def test_the_explorer_lists_entries_newest_first(client: Client, logged: World) -> None:
    page = client.get("/explorer/").content.decode()
    assert "holds 6 entries" in page
    assert page.index('href="/explorer/5"') < page.index('href="/explorer/4"')
    assert LOG_KEY.vkey in page
    assert "ledger.communique.published" in page


def test_an_entry_page_shows_its_checks_and_the_command_to_repeat_them(
    client: Client, logged: World
) -> None:
    page = client.get("/explorer/4").content.decode()
    assert "The signature verifies" in page
    assert "Checked: this entry is in the log of 5 entries" in page
    assert f"accord verify http://testserver/log --log-key {LOG_KEY.vkey}" in page
    assert "(the party's own key)" in page


def test_names_and_texts_are_escaped(client: Client, logged: World) -> None:
    page = client.get("/explorer/4").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_an_entry_after_the_checkpoint_says_so(client: Client, logged: World) -> None:
    assert (
        "No signed checkpoint covers this entry yet" in client.get("/explorer/5").content.decode()
    )


def test_a_tampered_entry_shows_a_failed_check(client: Client, logged: World) -> None:
    row = Entry.objects.get(index=4)
    row.leaf = bytes(row.leaf).replace(b"Budapest", b"Bucharest")
    row.save()
    assert "The signature does not verify" in client.get("/explorer/4").content.decode()


def test_unknown_entries_and_other_methods(client: Client, logged: World) -> None:
    assert client.get("/explorer/99").status_code == 404
    assert client.post("/explorer/").status_code == 405
    assert client.get("/explorer/?before=oops").status_code == 200


def test_an_unfounded_log_says_so(client: Client, db: None) -> None:
    assert "has not been founded yet" in client.get("/explorer/").content.decode()


def test_the_explorer_pages_through_the_log(client: Client, world: World) -> None:
    for seq in range(1, 60):
        world.submit(world.communique(seq=seq))
    first = client.get("/explorer/").content.decode()
    assert 'href="?before=13"' in first
    assert "Newer" not in first
    older = client.get("/explorer/?before=13").content.decode()
    assert 'href="/explorer/12"' in older
    assert 'href="/explorer/13"' not in older
    assert 'href="?before=63"' in older
