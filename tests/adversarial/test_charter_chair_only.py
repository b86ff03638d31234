"""Only the chair issues revisions and opens silence, and only through one who may sign.

The probes: a participating party revising and opening silence, the secretariat doing
either, the chair's delegate (who speaks but does not sign for the party), and a head of
another party claiming the chair's name. Each refusal leaves the log as it was.
"""

from datetime import timedelta
from functools import partial

import pytest

from accord.charter import actions
from accord.charter.models import Document, Revision, SilenceProcedure
from accord.forum.actions import Actor
from accord.ledger.envelope import format_time
from tests.charter.conftest import charter
from tests.charter.world import BB_HEAD, SECRETARIAT, CharterWorld
from tests.forum.world import AA_DELEGATE

__all__ = ["charter"]

pytestmark = pytest.mark.django_db


def _until(charter: CharterWorld) -> str:
    return format_time(charter.forum.ticking.moment + timedelta(hours=48))


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (BB_HEAD, "not_permitted"),
        (SECRETARIAT, "not_permitted"),
        (AA_DELEGATE, "not_permitted"),
        (Actor("AA", "bb.head"), "not_your_party"),
    ],
    ids=["participating", "secretariat", "chairs_delegate", "another_head_as_chair"],
)
def test_only_the_chair_revises_and_opens_silence(
    charter: CharterWorld, who: Actor, code: str
) -> None:
    doc = charter.document
    amendment = charter.forum.act(
        partial(actions.amend, BB_HEAD, doc, "chp_1__art_2", "replace", text="Better.")
    ).index
    charter.forum.refused(code, partial(actions.revise, who, doc, incorporate=[amendment]))
    charter.forum.act(partial(actions.withdraw, BB_HEAD, amendment))
    charter.forum.refused(code, partial(actions.open_silence, who, doc, 0, _until(charter)))
    assert not Revision.objects.exists()
    assert not SilenceProcedure.objects.exists()
    assert Document.objects.get(entry_index=doc).status == "draft"
