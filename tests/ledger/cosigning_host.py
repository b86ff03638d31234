"""A host process for the collection tests: ``python -m tests.ledger.cosigning_host WITNESSES``.

Sets Django up on the database ``DATABASE_URL`` names, takes who the witnesses are from
the JSON file WITNESSES (``{"policy": <tlog-policy text>, "timeout": <seconds>,
"endpoints": [{"name", "vkeys", "url", "party"}]}``) in place of the forum's source,
runs one worker round (``accord.cli.worker.run_round``: a checkpoint, then its
cosignatures) unless ``--show`` is given, and prints, as one JSON line, what
``/log/checkpoint`` serves then: its body and its policy header.
"""

import json
import os
import sys
from pathlib import Path


def main(witnesses_file: Path, *, show_only: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from django.test import RequestFactory  # noqa: PLC0415

    from accord.cli.worker import run_round  # noqa: PLC0415
    from accord.ledger import views, witnesses  # noqa: PLC0415
    from accord.ledger.witnesses import WitnessEndpoint, Witnesses  # noqa: PLC0415
    from accord.tlog.policy import Policy  # noqa: PLC0415

    given = json.loads(witnesses_file.read_text(encoding="utf-8"))
    endpoints = tuple(
        WitnessEndpoint(e["name"], tuple(e["vkeys"]), e["url"], e["party"], counts=True)
        for e in given["endpoints"]
    )
    found = Witnesses(endpoints, Policy.parse(given["policy"]), given["policy"], given["timeout"])
    witnesses._SOURCES[:] = [lambda: found]
    if not show_only:
        run_round()
    response = views.checkpoint(RequestFactory().get("/log/checkpoint"))
    served = {
        "note": response.content.decode(),
        "policy": response["Accord-Witness-Policy"],
        "missing": response.get("Accord-Witnesses-Missing", ""),
    }
    print(json.dumps(served))  # noqa: T201


if __name__ == "__main__":
    main(Path(sys.argv[1]), show_only="--show" in sys.argv[2:])
