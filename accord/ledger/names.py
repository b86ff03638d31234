"""Who each party code names, for pages that show parties by name.

A page mentions many parties; this reads the whole register once, so a page costs
two queries however many names it prints.
"""

from dataclasses import dataclass

from accord.ledger.models import LogState, Party


@dataclass(frozen=True)
class PartyNames:
    """The registered name of every party code, and which code is the secretariat's."""

    names: dict[str, str]
    secretariat: str | None

    def name(self, code: str) -> str | None:
        """The registered name, or None for a code the log never registered."""
        return self.names.get(code)


def party_names() -> PartyNames:
    """Two queries: every registered party, and the log's secretariat code."""
    names = dict(Party.objects.values_list("code", "name"))
    secretariat = LogState.objects.values_list("secretariat", flat=True).first()
    return PartyNames(names, secretariat)
