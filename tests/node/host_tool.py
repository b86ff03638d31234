"""The host's side of the node tests, run as a process on the host's database.

``python -m tests.node.host_tool publish ACTOR N``   N plain communiqués (no blobs), one line
                                                    per accepted entry index
``python -m tests.node.host_tool state-digest``      sign the state digest at the log's size
                                                    and print the note
``python -m tests.node.host_tool receipt INDEX``     print the receipt the log signed for INDEX

Uses whatever database ``DATABASE_URL`` names, as ``accord`` itself does.
"""

import os
import sys


def main(command: str, *arguments: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from accord.ledger.actions import publish_communique  # noqa: PLC0415
    from accord.ledger.models import Receipt  # noqa: PLC0415
    from accord.ledger.state_digest import sign_state_digest  # noqa: PLC0415

    if command == "publish":
        actor, count = arguments[0], int(arguments[1])
        for number in range(count):
            accepted = publish_communique(actor, f"No. {number}", f"{actor} statement {number}.")
            print(accepted.index, flush=True)  # noqa: T201
    elif command == "state-digest":
        sys.stdout.write(sign_state_digest().note)
    elif command == "receipt":
        sys.stdout.write(Receipt.objects.get(entry_id=int(arguments[0])).note)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
