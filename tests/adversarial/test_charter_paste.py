"""A 5 MB paste is refused wherever the charter takes text, and leaves nothing behind.

A provision's text holds at most ``MAX_TEXT`` characters (a long article fits, a pasted
file does not). The probes: 5 MB as an amendment's text, as a translation, as a silence
break's counter-proposal and as a document's provision. Each is refused before the log
takes it: the log, the projections and the blobs stored beside it are as they were.
"""

from datetime import timedelta
from functools import partial

import pytest

from accord.charter import actions
from accord.charter.text import MAX_TEXT, Provision
from accord.ledger.envelope import format_time
from accord.ledger.models import Blob
from tests.charter.conftest import charter
from tests.charter.world import AA_HEAD, BB_HEAD, CharterWorld

__all__ = ["charter"]

pytestmark = pytest.mark.django_db

PASTE = "Lorem ipsum dolor sit amet. " * (5_000_000 // 28)


def test_a_paste_is_five_megabytes() -> None:
    assert len(PASTE.encode()) >= 4_900_000
    assert len(PASTE) > MAX_TEXT


def test_a_pasted_amendment_is_refused(charter: CharterWorld) -> None:
    blobs = Blob.objects.count()
    charter.forum.refused(
        "bad_body",
        partial(actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "replace", text=PASTE),
    )
    assert Blob.objects.count() == blobs


def test_a_pasted_translation_and_counter_proposal_are_refused(charter: CharterWorld) -> None:
    charter.forum.refused(
        "bad_body",
        partial(
            actions.translate,
            BB_HEAD,
            charter.document,
            "chp_1__art_2",
            "ru",
            heading="Безопасность",
            text=PASTE,
        ),
    )
    until = format_time(charter.forum.ticking.moment + timedelta(hours=30))
    opened = charter.forum.act(partial(actions.open_silence, AA_HEAD, charter.document, 0, until))
    charter.forum.refused(
        "bad_body", partial(actions.break_silence, BB_HEAD, opened.index, "See ours.", PASTE)
    )


def test_a_document_with_a_pasted_provision_is_refused(charter: CharterWorld) -> None:
    provisions = [Provision("art_1", "article", "1", "Everything", PASTE).to_json()]
    charter.forum.refused(
        "bad_body", partial(actions.introduce, AA_HEAD, "Pasted", "en", provisions)
    )


def test_a_long_article_within_the_limit_is_taken(charter: CharterWorld) -> None:
    long = PASTE[: MAX_TEXT - 1]
    done = charter.forum.act(
        partial(actions.amend, BB_HEAD, charter.document, "chp_1__art_2", "replace", text=long)
    )
    assert done.index > charter.document
