"""The Russian interface is complete: every string the code marks for translation is translated."""

import html
import re
from pathlib import Path

import pytest
from django.test import Client

from accord.ledger.models import LogState, Party
from accord.people.models import Person
from tests import routes
from tests.forum.world import build, signed_in
from tests.ledger.conftest import ledger_environment

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "accord" / "locale" / "ru" / "LC_MESSAGES" / "django.po"
# Autouse: a KEK, a blob folder and a fresh tile cache for each test, as in tests/ledger.
__all__ = ["ledger_environment"]
PLURAL_FORMS = 4
"""What the catalogue's Plural-Forms header (Django's own for Russian) declares."""


def catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text, "a fuzzy entry is not used: review it and drop the flag"
    for block in text.split("\n\n")[1:]:
        msgid = re.search(r'msgid ((?:".*"\n)+)(?:msgid_plural|msgstr)', block)
        assert msgid, block
        key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if "msgid_plural" in block:
            # Russian has one, few, many (and other) forms: every one must be filled.
            forms = re.findall(r'msgstr\[(\d)\] ((?:".*"\n?)+)', block)
            assert [n for n, _ in forms] == [str(n) for n in range(PLURAL_FORMS)], block
            texts = ["".join(re.findall(r'"(.*)"', form)) for _, form in forms]
            entries[key] = "" if "" in texts else texts[0]
            continue
        msgstr = re.search(r'msgstr ((?:".*"\n?)+)', block)
        assert msgstr, block
        entries[key] = "".join(re.findall(r'"(.*)"', msgstr.group(1)))
    return entries


def marked_strings() -> set[str]:
    found: set[str] = set()
    for template in (ROOT / "accord").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        found |= set(re.findall(r'{% translate "([^"]+)"', text))
        found |= set(re.findall(r"{% translate '([^']+)'", text))
        for body in re.findall(
            r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", text, re.DOTALL
        ):
            singular = body.split("{% plural %}")[0]
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", singular))
    for source in (ROOT / "accord").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found |= set(re.findall(r'\b(?:_|gettext_lazy|gettext)\(\s*"([^"]+)"\s*\)', text))
    return {string.replace('"', '\\"') for string in found}


def test_the_catalogue_declares_russians_plural_forms() -> None:
    assert f'"Plural-Forms: nplurals={PLURAL_FORMS}; ' in CATALOGUE.read_text(encoding="utf-8")


def test_every_entry_of_the_catalogue_is_translated() -> None:
    untranslated = [key for key, value in catalogue().items() if key and not value]
    assert untranslated == []


def test_every_marked_string_is_in_the_catalogue() -> None:
    missing = marked_strings() - set(catalogue())
    assert missing == set(), f"run makemessages -l ru and translate: {sorted(missing)}"


# Words the templates print from data (statuses, roles, standings, answers, rules): each must
# reach a Russian page translated, whether or not a msgid spells it.
PRINTED_WORDS = (
    "invited",
    "interested",
    "participating",
    "observer",
    "partner",
    "declined",
    "left",
    "accepted",
    "head",
    "head of delegation",
    "delegate",
    "adviser",
    "staff",
    "secretariat staff",
    "chair",
    "initiator",
    "secretariat",
    "Secretariat",
    "consensus",
    "majority",
    "hosted",
    "own",
    "state",
    "organisation",
)
# Text that is the log's or a person's, not the interface's: code, preformatted text, the
# forum's and parties' names, handles, addresses.
_DATA = re.compile(r"<(code|pre|script|option)\b[^>]*>.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _visible_text(page: str, data: list[str]) -> str:
    text = _TAG.sub(" ", _DATA.sub(" ", page.split("<body>", 1)[-1]))
    for value in data:
        text = text.replace(value, " ")
    return " ".join(html.unescape(text).split())


def _english_left(text: str, strings: set[str]) -> list[str]:
    return sorted(
        string
        for string in strings
        if re.search(rf"(?<![\w.@-]){re.escape(string)}(?![\w.@-])", text)
    )


def _interface_strings() -> set[str]:
    """Every msgid the catalogue translates to something else, and the words printed from data."""
    strings = {
        key.replace('\\"', '"')
        for key, value in catalogue().items()
        if key and value and value != key and "%(" not in key and "\\n" not in key
    }
    return strings | set(PRINTED_WORDS)


@pytest.mark.django_db
def test_no_rendered_russian_page_holds_an_untranslated_interface_string() -> None:
    world = next(build())
    # The entry page shows the signed actor's code before its sequence number ("secretariat
    # (номер …)"): a code from the log, though the secretariat's code is also an English word.
    codes = [*Party.objects.values_list("code", flat=True), LogState.objects.get().secretariat]
    data = [
        *Party.objects.values_list("name", flat=True),
        *Person.objects.values_list("handle", flat=True),
        *(f"{code} (" for code in codes),
        "Forum for Dialogue",
    ]
    strings = _interface_strings()
    checked = 0
    failures: list[str] = []
    for visitor in (Client(), signed_in("aa.head"), signed_in("sec.clerk")):
        for path in routes.paths(world.invitation_to_cc, skip=("^", "api/", "log/", "i18n/")):
            response = visitor.get(path, headers={"accept-language": "ru"})
            if 300 <= response.status_code < 400 or not response["Content-Type"].startswith(
                "text/html"
            ):
                continue
            page = response.content.decode()
            assert '<html lang="ru">' in page, path
            left = _english_left(_visible_text(page, data), strings)
            failures += [f"{path} ({response.status_code}) shows English: {left}"] if left else []
            checked += 1
    assert failures == []
    assert checked >= 30, checked
    # The same reading of the English home page finds English, so the check can fail.
    english = Client().get("/", headers={"accept-language": "en"}).content.decode()
    assert {"Invitations", "Recent acts", "participating"} <= set(
        _english_left(_visible_text(english, data), strings)
    )
