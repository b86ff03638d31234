"""The Russian interface is complete: every string the code marks for translation is translated."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "accord" / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    text = CATALOGUE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text, "a fuzzy entry is not used: review it and drop the flag"
    for block in text.split("\n\n")[1:]:
        msgid = re.search(r'msgid ((?:".*"\n)+)msgstr', block)
        msgstr = re.search(r'msgstr ((?:".*"\n?)+)', block)
        assert msgid, block
        assert msgstr, block
        key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
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
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    for source in (ROOT / "accord").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found |= set(re.findall(r'\b(?:_|gettext_lazy|gettext)\(\s*"([^"]+)"\s*\)', text))
    return {string.replace('"', '\\"') for string in found}


def test_every_entry_of_the_catalogue_is_translated() -> None:
    untranslated = [key for key, value in catalogue().items() if key and not value]
    assert untranslated == []


def test_every_marked_string_is_in_the_catalogue() -> None:
    missing = marked_strings() - set(catalogue())
    assert missing == set(), f"run makemessages -l ru and translate: {sorted(missing)}"
