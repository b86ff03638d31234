"""Who each party code names, for pages that show parties by name, in the reader's language.

A page mentions many parties; this reads the whole register once, so a page costs
two queries however many names it prints.

The log keeps each party's name as it was registered, in one language. Where that name is
the common name of its ISO 3166 code (or of ``EU``) in one of the interface languages, as
CLDR gives it ("Hungary", "Венгрия"), a page shows CLDR's name in the reader's language
instead; a name the party chose for itself ("Republic of Belarus") is shown as registered.
"""

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation

from accord.ledger.models import LogState, Party


@cache
def _territories(language: str) -> dict[str, str]:
    """CLDR's territory names in ``language`` (about 300), parsed once per process."""
    try:
        return dict(Locale.parse(language.replace("-", "_")).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def common_name(code: str, registered: str, language: str) -> str:
    """``registered`` in ``language`` when it is the common name of ``code``, else as is."""
    common = {_territories(other).get(code) for other, _label in settings.LANGUAGES}
    if registered not in common:
        return registered
    return _territories(language).get(code, registered)


@dataclass(frozen=True)
class PartyNames:
    """The registered name of every party code, and which code is the secretariat's."""

    names: dict[str, str]
    secretariat: str | None

    def name(self, code: str) -> str | None:
        """The name in the active language (see ``common_name``), or None for a code the log
        never registered."""
        registered = self.names.get(code)
        if registered is None:
            return None
        return common_name(code, registered, translation.get_language() or "en")


def party_names() -> PartyNames:
    """Two queries: every registered party, and the log's secretariat code."""
    names = dict(Party.objects.values_list("code", "name"))
    secretariat = LogState.objects.values_list("secretariat", flat=True).first()
    return PartyNames(names, secretariat)


@cache
def _languages(language: str) -> dict[str, str]:
    """CLDR's language names in ``language``, parsed once per process."""
    try:
        return dict(Locale.parse(language.replace("-", "_")).languages)
    except (UnknownLocaleError, ValueError):
        return {}


def language_name(code: str) -> str:
    """A language's name in the reader's language, as CLDR gives it ("Russian", "русский"),
    capitalised as a word that stands alone; the code itself for one CLDR does not name."""
    reader = translation.get_language() or "en"
    name = _languages(reader).get(code.replace("-", "_")) or _languages(reader).get(code)
    return name[:1].upper() + name[1:] if name else code
