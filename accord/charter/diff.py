"""Word diffs of provisions and of whole revisions, character by character for CJK.

Negotiators read an amendment as the words it changes, so a diff works on tokens:
words, runs of spaces and single punctuation marks for scripts that separate words with
spaces, and one token per character for Chinese, Japanese and Korean, which do not —
"各方应当通知" against "各方可以通知" differs in two characters, not in one long word,
whatever language the document declares.

Cost: ``diff`` runs ``difflib.SequenceMatcher`` (autojunk off, so that frequent words
such as "the" are still matched) on the two token lists. It is quadratic only in the
worst case of two long unrelated texts; a provision is at most ``text.MAX_TEXT``
characters and an amendment changes a few words of it, where the matcher's cost is
close to linear. ``revision_diff`` is linear in the number of provisions (one dict
look-up each) plus one ``diff`` per changed provision.
"""

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from accord.charter.text import Provision

Op = Literal["same", "insert", "delete"]

_CJK = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff00-\uffef"  # half- and full-width forms
    "\U00020000-\U0003134f"  # CJK Extensions B–G
)
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\s+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """The text cut into words, spaces and punctuation, one token per CJK character.

    Joining the tokens gives the text back. A combining mark (an accent typed apart,
    a Devanagari vowel sign) stays with the token before it.
    """
    found: list[str] = []
    for token in _TOKEN.findall(text):
        if found and unicodedata.category(token[0]).startswith("M"):
            found[-1] += token
        else:
            found.append(token)
    return found


def diff(old: str, new: str) -> list[tuple[str, str]]:
    """Runs of ("same" | "delete" | "insert", text) that turn ``old`` into ``new``.

    Adjacent runs of one kind are merged; within a replaced stretch the deletion comes
    first. A space left unchanged between two changed words belongs to the change, so a
    sentence replaced whole reads as one deletion and one insertion, not as words
    interleaved around the spaces they share. The "same" and "delete" runs joined give
    ``old``; "same" and "insert" give ``new``.
    """
    before, after = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    stretches = [
        (tag == "equal", "".join(before[i1:i2]), "".join(after[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    for place in range(1, len(stretches) - 1):
        same, text, _new = stretches[place]
        changed_around = not stretches[place - 1][0] and not stretches[place + 1][0]
        if same and changed_around and text.isspace():
            stretches[place] = (False, text, text)
    runs: list[tuple[str, str]] = []
    deleted, inserted = "", ""
    for same, old_text, new_text in [*stretches, (True, "", "")]:
        if not same:
            deleted, inserted = deleted + old_text, inserted + new_text
            continue
        _add(runs, "delete", deleted)
        _add(runs, "insert", inserted)
        deleted, inserted = "", ""
        _add(runs, "same", old_text)
    return runs


def _add(runs: list[tuple[str, str]], op: Op, text: str) -> None:
    if not text:
        return
    if runs and runs[-1][0] == op:
        runs[-1] = (op, runs[-1][1] + text)
    else:
        runs.append((op, text))


@dataclass(frozen=True)
class Change:
    """What happened to one provision between two revisions.

    ``kind`` is "added", "deleted" or "changed"; ``text`` and ``heading`` are the word
    diffs of the provision's text and heading (all "insert" for an added provision, all
    "delete" for a deleted one). A changed provision may also have a new number, element
    or parent: ``old`` and ``new`` hold both versions.
    """

    eid: str
    kind: Literal["added", "deleted", "changed"]
    old: Provision | None
    new: Provision | None
    text: tuple[tuple[str, str], ...] = ()
    heading: tuple[tuple[str, str], ...] = ()


def revision_diff(old: Sequence[Provision], new: Sequence[Provision]) -> list[Change]:
    """The changes from ``old`` to ``new`` by eId, unchanged provisions left out.

    In the new text's order; a deleted provision comes right after the provision that
    preceded it in the old text and survives in the new one (first, if none does).
    """
    before = {provision.eid: provision for provision in old}
    after = {provision.eid: provision for provision in new}
    deleted_after: dict[str, list[Provision]] = {}
    anchor = ""
    for provision in old:
        if provision.eid in after:
            anchor = provision.eid
        else:
            deleted_after.setdefault(anchor, []).append(provision)
    changes = [_deleted(p) for p in deleted_after.get("", [])]
    for provision in new:
        previous = before.get(provision.eid)
        if previous is None:
            changes.append(_added(provision))
        elif previous != provision:
            changes.append(_changed(previous, provision))
        changes.extend(_deleted(p) for p in deleted_after.get(provision.eid, []))
    return changes


def _added(provision: Provision) -> Change:
    return Change(
        provision.eid,
        "added",
        None,
        provision,
        tuple(diff("", provision.text)),
        tuple(diff("", provision.heading)),
    )


def _deleted(provision: Provision) -> Change:
    return Change(
        provision.eid,
        "deleted",
        provision,
        None,
        tuple(diff(provision.text, "")),
        tuple(diff(provision.heading, "")),
    )


def _changed(old: Provision, new: Provision) -> Change:
    return Change(
        new.eid,
        "changed",
        old,
        new,
        tuple(diff(old.text, new.text)),
        tuple(diff(old.heading, new.heading)),
    )
