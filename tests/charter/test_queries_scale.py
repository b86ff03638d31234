"""What reading a charter costs in queries does not grow with its articles or amendments.

A short draft with two amendments and a charter ten times as long with forty amendments,
co-sponsors, positions and translations cost the same number of queries, for the
compilation every page and export reads and for the bracketed page itself, to a reader and
to a signed-in delegate (whose page offers a form for every provision).
"""

from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accord.charter import actions, queries
from accord.charter.models import Document
from accord.charter.text import Provision
from tests.charter.world import AA_HEAD, BB_HEAD, CharterWorld
from tests.forum.world import signed_in

pytestmark = pytest.mark.django_db


def _charter(articles: int) -> list[Provision]:
    found = [Provision("recs__rec_1", "recital", text="Recalling,")]
    for number in range(1, articles + 1):
        chapter = (number - 1) // 5 + 1
        if (number - 1) % 5 == 0:
            found.append(Provision(f"chp_{chapter}", "chapter", str(chapter), f"Part {chapter}"))
        found.append(
            Provision(
                f"chp_{chapter}__art_{number}",
                "article",
                str(number),
                f"Heading {number}",
                f"Article {number} as drafted.",
                f"chp_{chapter}",
            )
        )
    return found


def _negotiated(charter: CharterWorld, articles: int, amendments: int) -> Document:
    """A document of ``articles`` articles with ``amendments`` open amendments, each
    co-sponsored, with positions from both participating parties, and a translation."""
    act = charter.forum.act
    text = _charter(articles)
    doc = act(
        partial(actions.introduce, AA_HEAD, "Long Charter", "en", [p.to_json() for p in text])
    ).index
    eids = [p.eid for p in text if p.element == "article"]
    for number in range(amendments):
        sponsor, other = (BB_HEAD, AA_HEAD) if number % 2 else (AA_HEAD, BB_HEAD)
        amendment = act(
            partial(
                actions.amend,
                sponsor,
                doc,
                eids[number % len(eids)],
                "replace",
                text=f"Option {number}.",
            )
        ).index
        act(partial(actions.cosponsor, other, amendment))
        act(partial(actions.state_position, other, amendment, "object" if number % 3 else "accept"))
        act(partial(actions.state_position, sponsor, amendment, "support"))
    act(
        partial(actions.translate, BB_HEAD, doc, eids[0], "ru", heading="Заголовок", text="Статья.")
    )
    found = queries.document(doc)
    assert found is not None
    return found


def _short(charter: CharterWorld) -> Document:
    for text in ("First option.", "Second option."):
        charter.act(
            partial(actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "replace", text=text)
        )
    found = queries.document(charter.document)
    assert found is not None
    return found


def _counted(read: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


@pytest.fixture
def short_and_long(charter: CharterWorld) -> tuple[Document, Document]:
    return _short(charter), _negotiated(charter, articles=40, amendments=40)


def test_the_compilation_costs_the_same_queries_at_any_length(
    short_and_long: tuple[Document, Document],
) -> None:
    short, long = short_and_long
    assert queries.compilation(long).brackets == 40
    for language in (None, "ru"):
        read = partial(queries.compilation, language=language)
        counts = [_counted(partial(read, found)) for found in (short, long)]
        assert counts[0] == counts[1], (language, counts)
        assert counts[1] <= 9  # a handful: names, text, amendments, revision, forum, translations


def test_the_matrix_and_the_objections_cost_the_same_queries_at_any_length(
    short_and_long: tuple[Document, Document],
) -> None:
    short, long = short_and_long
    reads: tuple[Callable[[Document], object], ...] = (
        queries.matrix,
        queries.objections,
        queries.convergence,
        queries.amendments,
    )
    for read in reads:
        assert _counted(partial(read, short)) == _counted(partial(read, long)), read


@pytest.mark.parametrize("reader", ["anonymous", "bb.head"])
def test_the_bracketed_page_costs_the_same_queries_at_any_length(
    short_and_long: tuple[Document, Document], reader: str
) -> None:
    client = Client() if reader == "anonymous" else signed_in(reader)
    counts = []
    for found in short_and_long:
        url = f"/charter/{found.entry_index}/?view=brackets"
        assert client.get(url).status_code == 200  # warm: the session, the caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert b"Option 39." in response.content
    assert counts[0] == counts[1], counts
