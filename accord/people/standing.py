"""What people need to know from the forum's log, asked through a registered ``Standing``.

Who is secretariat staff now, and whose role asks for a second factor, are
facts of the log that only the forum projects (accreditations, the demo's
origin). People must not import the forum (the forum imports people), so the
forum registers its answers here when Django loads it (``ForumConfig.ready``),
as it registers its readership with the ledger. Until something registers,
the answers fail closed: no one is staff and every role needs a second factor.
"""

from typing import Protocol


class Standing(Protocol):
    """A person's standing in the log, as the app that projects accreditations judges it."""

    def is_staff(self, handle: str) -> bool:
        """Whether ``handle`` is secretariat staff in the log now."""
        ...

    def second_factor_required(self, handle: str, added_role: str) -> bool:
        """Whether ``handle`` must pass TOTP before acting; ``added_role`` is the role the
        account was added for, for a person the log has not accredited yet."""
        ...


class NoStanding:
    """The answers before any app registers one: no staff, and TOTP for everyone."""

    def is_staff(self, handle: str) -> bool:  # noqa: ARG002 -- no one, whoever asks
        return False

    def second_factor_required(self, handle: str, added_role: str) -> bool:  # noqa: ARG002
        return True


_registered: list[Standing] = [NoStanding()]


def register_standing(standing: Standing) -> None:
    """Make ``standing`` the one people ask; the last registered wins (tests swap it)."""
    _registered[0] = standing


def standing() -> Standing:
    """The registered standing; no query itself, its answers cost what they say."""
    return _registered[0]
