"""The state digest: one hash over every projection, for replay and audit (DESIGN.md §3).

Rows are described by natural keys (party codes, entry indexes, key strings),
never by database surrogate keys, database-set times, outbox rows or personal
data; each row is canonical JSON prefixed by its model's label; the lines are
sorted bytewise in Python. So SQLite and PostgreSQL, and the live database and
a replay, reach the same digest for the same log. The *public* digest hides
what restricted statements say; the *full* digest, for those who hold the
restricted bodies, includes it.
"""

import hashlib
from typing import Any, Protocol

from django.db import models

from accord.lib import canonical


class Projection(Protocol):
    def digest_row(self, *, full: bool) -> list[Any]: ...


PROJECTIONS: list[type[models.Model]] = []


def register_projection(model: type[models.Model]) -> type[models.Model]:
    """Include ``model``'s rows in the digest (its instances must have ``digest_row``)."""
    if model not in PROJECTIONS:
        PROJECTIONS.append(model)
    return model


def rows(*, full: bool, alias: str = "default") -> list[bytes]:
    lines = []
    for model in PROJECTIONS:
        label = model._meta.label  # noqa: SLF001 -- Django's public spelling
        for instance in model._default_manager.using(alias).iterator():  # noqa: SLF001
            row: Projection = instance  # type: ignore[assignment]
            lines.append(canonical.dumps([label, *row.digest_row(full=full)]))
    lines.sort()
    return lines


def digest(*, full: bool, alias: str = "default") -> str:
    """The hex SHA-256 of the projections' sorted rows."""
    hasher = hashlib.sha256()
    for line in rows(full=full, alias=alias):
        hasher.update(line + b"\n")
    return hasher.hexdigest()
