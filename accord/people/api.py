"""Personal API tokens as the JSON API's authentication: ``Authorization: Bearer <token>``.

Every app's router that acts for a person names ``TOKEN`` as its ``auth``; the
request then carries the ``Person`` as ``request.auth``.
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accord.people.models import ApiToken, Person, token_hash
from accord.people.standing import standing


class PersonToken(HttpBearer):
    """A personal API token; the request then acts as its person."""

    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        """The token's person if it is live, its account active, and it was made after a
        second factor where the person's role asks for one; three queries and an update."""
        found = (
            ApiToken.objects.filter(
                token_hash=token_hash(token),
                revoked_at__isnull=True,
                person__user__is_active=True,  # a deactivated account's tokens are dead
            )
            .select_related("person")
            .first()
        )
        if found is None:
            return None
        role_asks = standing().second_factor_required(found.person.handle, found.person.role)
        if role_asks and not found.second_factor:
            # Made before the person's role asked for TOTP (a delegate now head of delegation).
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found.person


TOKEN = PersonToken()
