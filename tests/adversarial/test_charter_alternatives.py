"""Two amendments to one provision are alternatives: a revision takes in one of them.

The probes: two replacements of one article incorporated together, a replacement and a
deletion of the same article, two insertions after the same article, and the body an
own-key chair would sign for two replacements. Each refusal leaves the log as it was; an
amendment to a provision the revision deletes must be dropped.
"""

from functools import partial

import pytest

from accord.charter import actions
from accord.charter.models import Amendment, Revision
from accord.forum.actions import Actor
from accord.ledger.errors import NotAllowed
from tests.charter.conftest import charter
from tests.charter.world import AA_HEAD, BB_HEAD, CharterWorld

__all__ = ["charter"]

pytestmark = pytest.mark.django_db

ARTICLE = "chp_1__art_2"


def _amend(charter: CharterWorld, who: Actor, action: str, text: str = "") -> int:
    proposed = charter.forum.act(
        partial(actions.amend, who, charter.document, ARTICLE, action, text=text)
    )
    return proposed.index


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("replace", "Option one."), ("replace", "Option two.")),
        (("replace", "Option one."), ("delete", "")),
        (("insert_after", "New one."), ("insert_after", "New two.")),
    ],
    ids=["two_replacements", "replace_and_delete", "two_insertions_after"],
)
def test_two_alternatives_are_not_incorporated_together(
    charter: CharterWorld, first: tuple[str, str], second: tuple[str, str]
) -> None:
    one = _amend(charter, BB_HEAD, *first)
    two = _amend(charter, AA_HEAD, *second)
    charter.forum.refused(
        "alternatives", partial(actions.revise, AA_HEAD, charter.document, incorporate=[one, two])
    )
    assert not Revision.objects.exists()
    assert set(Amendment.objects.values_list("status", flat=True)) == {"open"}


def test_the_body_cannot_be_built_for_two_alternatives_either(charter: CharterWorld) -> None:
    one = _amend(charter, BB_HEAD, "replace", "Option one.")
    two = _amend(charter, AA_HEAD, "replace", "Option two.")
    with pytest.raises(NotAllowed, match="alternatives") as refused:
        actions.revision_body(charter.document, [one, two], [])
    assert refused.value.code == "alternatives"


def test_an_amendment_to_a_deleted_provision_must_be_dropped(charter: CharterWorld) -> None:
    deletion = _amend(charter, BB_HEAD, "delete")
    other = _amend(charter, AA_HEAD, "replace", "Option.")
    charter.forum.refused(
        "orphaned", partial(actions.revise, AA_HEAD, charter.document, incorporate=[deletion])
    )
    charter.forum.act(
        partial(actions.revise, AA_HEAD, charter.document, incorporate=[deletion], drop=[other])
    )
    assert Amendment.objects.get(entry_index=other).status == "dropped"
