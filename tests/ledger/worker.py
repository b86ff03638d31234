"""A submitting process for the race and crash tests: ``python -m tests.ledger.worker ACTOR N``.

Publishes N communiqués as ACTOR with its hosted key (every fifth one large
enough to travel as a blob), printing each entry index as it is accepted.
Uses whatever database ``DATABASE_URL`` names.
"""

import os
import sys


def main(actor: str, count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from accord.ledger.actions import publish_communique  # noqa: PLC0415

    for number in range(count):
        text = f"{actor} statement {number}." + (
            " The long annex." * 4000 if number % 5 == 4 else ""
        )
        accepted = publish_communique(actor, f"No. {number}", text)
        print(accepted.index, flush=True)  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
