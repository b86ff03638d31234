"""The forum's answers to the people app's questions about a person's standing in the log.

People ask through ``accord.people.standing`` and never import the forum; the
forum registers this when Django loads it (``apps.py``).
"""

from accord.forum import queries


class ForumStanding:
    """Staff and second-factor roles as the forum's accreditations stand now."""

    def is_staff(self, handle: str) -> bool:
        """Two queries."""
        return queries.is_staff(handle)

    def second_factor_required(self, handle: str, added_role: str) -> bool:
        """Two queries."""
        return queries.second_factor_required(handle, added_role)
