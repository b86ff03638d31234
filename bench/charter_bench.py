"""Benchmarks of the charter, each figure beside its bound measured in the same run.

- The bracketed page of a charter of 400 articles with 4,000 open amendments (ten
  alternatives an article), a co-sponsor and five positions each from 57 parties, vs a
  plain page that lists the same text (every base text and every option, no brackets, no
  sponsors, no tallies) on the same layout with the two queries it needs; target <= 3x.
  Both are served to a reader through Django's whole stack; the queries each costs are
  counted too.
- Importing the charter from Markdown, exporting it to Akoma Ntoso and to Word (with its
  brackets) and diffing two revisions, at 100 and at 400 articles: the 400/100 ratio of
  each says whether it scales linearly (4.0 is linear).

The data is built by bulk ingestion (``accord.ledger.submit.ingest``) of statements the
parties sign with their own keys, as a national system would send them.
Usage: python -m bench.charter_bench [--quick | --tiny] [--out FILE]

``--tiny`` runs every measurement at a size too small to mean anything, so that
``make test`` proves each one still runs and writes its result; its figures are never
reported.
"""

import base64
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from bench.options import result_path, run_child, run_size

RESULTS = Path(__file__).parent / "results" / "charter.json"
KEK = "bench:" + base64.b64encode(b"c" * 32).decode()
ORIGIN = "bench.example/charter"


@dataclass(frozen=True)
class Size:
    articles: int
    amendments: int
    parties: int
    positions: int
    """Positions stated on each amendment, by parties other than its sponsor."""
    repeats: int


SIZES = {
    "tiny": Size(articles=10, amendments=40, parties=5, positions=2, repeats=1),
    "quick": Size(articles=100, amendments=1_000, parties=57, positions=5, repeats=3),
    "full": Size(articles=400, amendments=4_000, parties=57, positions=5, repeats=5),
}
STANCES = ("support", "accept", "reserve", "object")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django  # noqa: PLC0415

    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)
    settings.ROOT_URLCONF = __name__


# -- the text -----------------------------------------------------------------------------------


def _wording(number: int, variant: int = 0) -> str:
    """An article's text of ordinary length (about 300 characters); each variant differs."""
    said = "as proposed" if variant == 0 else f"in the wording of option {variant}"
    return (
        f"Each Party shall, {said}, take the measures that article {number} requires to"
        " give effect to the principles of this Charter, consult the other Parties in good"
        " time on any question that arises under it, and report to the Forum on the"
        " measures taken and on the difficulties met in applying them in its territory."
    )


def provisions(articles: int) -> list[Any]:
    """A charter of ``articles`` articles, ten to a chapter, with two recitals."""
    from accord.charter.text import Provision  # noqa: PLC0415

    found = [
        Provision(f"recs__rec_{n}", "recital", text=f"Recalling principle {n} of the Charter,")
        for n in (1, 2)
    ]
    for number in range(1, articles + 1):
        chapter = (number - 1) // 10 + 1
        if (number - 1) % 10 == 0:
            found.append(Provision(f"chp_{chapter}", "chapter", str(chapter), f"Part {chapter}"))
        found.append(
            Provision(
                f"chp_{chapter}__art_{number}",
                "article",
                str(number),
                f"Article heading {number}",
                _wording(number),
                f"chp_{chapter}",
            )
        )
    return found


def markdown(articles: int) -> bytes:
    """The same charter as a drafter would paste it in Markdown."""
    lines = ["# Bench Charter", "", "Recalling principle 1 of the Charter,", ""]
    for number in range(1, articles + 1):
        chapter = (number - 1) // 10 + 1
        if (number - 1) % 10 == 0:
            lines += [f"## Chapter {chapter} — Part {chapter}", ""]
        lines += [f"### Article {number} — Article heading {number}", "", _wording(number), ""]
    return "\n".join(lines).encode()


# -- building by bulk ingestion -----------------------------------------------------------------


def _code(number: int) -> str:
    return f"P{chr(65 + number // 26)}{chr(65 + number % 26)}"


@dataclass
class Parties:
    """The parties' own signers and the next sequence number of each."""

    signers: dict[str, Any]
    seq: dict[str, int] = field(default_factory=dict)

    def signed(self, actor: str, kind: str, body: dict[str, Any]) -> Any:
        """A submission ``actor`` signs with its own key; a large body goes as a blob."""
        from accord.ledger import blobs  # noqa: PLC0415
        from accord.ledger.envelope import SignedStatement, Statement, format_time  # noqa: PLC0415
        from accord.ledger.submit import Submission  # noqa: PLC0415
        from accord.lib import canonical  # noqa: PLC0415

        self.seq[actor] = self.seq.get(actor, 0) + 1
        data = canonical.dumps(body)
        blob = data if len(data) > 30_000 else None
        statement = Statement(
            forum=ORIGIN,
            kind=kind,
            v=1,
            actor=actor,
            seq=self.seq[actor],
            at=format_time(datetime.now(UTC)),
            distribution="public",
            body=blobs.reference(data) if blob is not None else body,
        )
        signer = self.signers[actor]
        signature = signer.sign(statement.signing_bytes())
        return Submission(SignedStatement(statement, signature, signer.vkey), blob)


def _found(size: Size) -> Parties:
    from accord.forum import actions, founding  # noqa: PLC0415
    from accord.tlog import note  # noqa: PLC0415

    codes = [_code(n) for n in range(size.parties)]
    signers = {
        code: note.Signer(note.format_skey(code.lower(), bytes([n + 1]) * 32))
        for n, code in enumerate(codes)
    }
    toml = [
        f'[forum]\nname = "Bench"\norigin = "{ORIGIN}"\nlanguages = ["en", "ru"]',
        f'symbol_prefix = "B"\nchair = "{codes[0]}"',
    ]
    for code in codes:
        toml.append(f'[[party]]\ncode = "{code}"\nname = "State {code}"')
        toml.append(f'vkey = "{signers[code].vkey}"')
    actions.found_forum(founding.parse("\n".join(toml) + "\n"))
    return Parties(signers)


def build(size: Size) -> tuple[int, dict[str, float]]:
    """The charter with its open amendments, co-sponsors and positions, ingested in bulk;
    the document's entry and the ingestion's figures."""
    from accord.ledger.submit import ingest  # noqa: PLC0415

    parties = _found(size)
    codes = list(parties.signers)
    started = time.perf_counter()
    ingest([parties.signed(code, "forum.party.joined", {}) for code in codes])
    text = provisions(size.articles)
    (introduced,) = ingest(
        [
            parties.signed(
                codes[0],
                "charter.document.introduced",
                {
                    "title": "Bench Charter",
                    "language": "en",
                    "provisions": [p.to_json() for p in text],
                },
            )
        ]
    )
    document = introduced.index
    articles = [p for p in text if p.element == "article"]
    proposals = []
    sponsors = []
    for number in range(size.amendments):
        article = articles[number % len(articles)]
        sponsor = number % len(codes)
        sponsors.append(sponsor)
        body = {
            "document": document,
            "provision": article.eid,
            "action": "replace",
            "text": _wording(int(article.num), number // len(articles) + 1),
            "heading": "",
            "rationale": "",
        }
        proposals.append(parties.signed(codes[sponsor], "charter.amendment.proposed", body))
    amendments = [accepted.index for accepted in ingest(proposals, batch=1000)]
    backing = []
    for amendment, sponsor in zip(amendments, sponsors, strict=True):
        backing.append(
            parties.signed(
                codes[(sponsor + 1) % len(codes)],
                "charter.amendment.cosponsored",
                {"amendment": amendment},
            )
        )
        for turn in range(size.positions):
            stated = codes[(sponsor + 2 + turn * 7) % len(codes)]
            stance = STANCES[(amendment + turn) % len(STANCES)]
            body = {"amendment": amendment, "stance": stance, "note": ""}
            backing.append(parties.signed(stated, "charter.position.stated", body))
    ingest(backing, batch=1000)
    spent = time.perf_counter() - started
    statements = len(codes) + 1 + len(proposals) + len(backing)
    return document, {"statements": statements, "ingest_per_s": statements / spent}


# -- the plain page ----------------------------------------------------------------------------

PLAIN = """{% extends "front/base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}<h1>{{ title }}</h1>
{% for row in rows %}<section><h2>{{ row.num }} {{ row.heading }}</h2><p>{{ row.text }}</p>
{% for option in row.options %}<p>{{ option.0 }} {{ option.1 }}</p>
{% endfor %}</section>
{% endfor %}{% endblock %}"""


def plain_page(request: HttpRequest, document: int) -> HttpResponse:
    """Every base text and every option of the document as a plain list: no brackets, no
    sponsors, no tallies. Two queries: the provisions, then the open amendments' texts."""
    from django.template import engines  # noqa: PLC0415

    from accord.charter.models import Amendment, Document, Provision  # noqa: PLC0415

    found = Document.objects.get(entry_index=document)
    options: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for eid, heading, text in Amendment.objects.filter(
        document=document, status="open"
    ).values_list("eid", "heading", "text"):
        options[eid].append((heading, text))
    rows = [
        {"num": p.num, "heading": p.heading, "text": p.text, "options": options.get(p.eid, ())}
        for p in Provision.objects.filter(document=document, revision=found.revision)
    ]
    template = engines["django"].from_string(PLAIN)
    return HttpResponse(template.render({"title": found.title, "rows": rows}, request))


def __getattr__(name: str) -> list[URLPattern | URLResolver]:
    """``urlpatterns``, made on first use: the bench's own URLs (its child process's
    ROOT_URLCONF), the plain page and then every page of Accord, whose URLs import the whole
    project and so wait for Django to be set up."""
    if name != "urlpatterns":
        raise AttributeError(name)
    return [path("bench/plain/<int:document>/", plain_page), path("", include("accord.urls"))]


# -- measuring ----------------------------------------------------------------------------------


def _median(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _pages(document: int, size: Size) -> dict[str, Any]:
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from accord.charter.models import Amendment  # noqa: PLC0415

    client = Client()
    bracketed_url, plain_url = f"/charter/{document}/?view=brackets", f"/bench/plain/{document}/"

    def get(url: str) -> bytes:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    pages = {"bracketed": get(bracketed_url), "plain": get(plain_url)}
    sample = Amendment.objects.filter(document=document).order_by("-entry_index").first()
    assert sample is not None
    for name, content in pages.items():  # the same text: the last option is on both pages
        assert sample.text.encode() in content, name
    counted = {}
    for name, url in (("bracketed", bracketed_url), ("plain", plain_url)):
        with CaptureQueriesContext(connection) as queries:
            get(url)
        counted[name] = len(queries)
    times: dict[str, list[float]] = {"bracketed": [], "plain": []}
    for _ in range(size.repeats):  # alternating, so both meet the same machine
        times["bracketed"].append(_median(lambda: get(bracketed_url), 1))
        times["plain"].append(_median(lambda: get(plain_url), 1))
    bracketed, plain = statistics.median(times["bracketed"]), statistics.median(times["plain"])
    return {
        "articles": size.articles,
        "amendments": size.amendments,
        "bracketed_s": bracketed,
        "plain_s": plain,
        "ratio": bracketed / plain,
        "bracketed_bytes": len(pages["bracketed"]),
        "plain_bytes": len(pages["plain"]),
        "bracketed_queries": counted["bracketed"],
        "plain_queries": counted["plain"],
    }


def _articles_of(compilation: Any, articles: int) -> Any:
    """The compilation cut after its ``articles``-th article: the same text, shorter."""
    kept, seen = [], 0
    for compiled in compilation.provisions:
        if compiled.provision.element == "article":
            seen += 1
            if seen > articles:
                break
        kept.append(compiled)
    return replace(compilation, provisions=tuple(kept))


def _revised(text: list[Any]) -> list[Any]:
    """The next revision: every article's text changed in one word, and one article gone in
    ten, as a revision that takes in many amendments looks."""
    result = []
    for provision in text:
        if provision.element == "article" and int(provision.num) % 10 == 5:
            continue
        if provision.element == "article":
            provision = replace(  # noqa: PLW2901 -- the same provision, revised
                provision, text=provision.text.replace("consult", "inform")
            )
        result.append(provision)
    return result


def _scaling(document: int, size: Size) -> dict[str, Any]:
    """Import, AKN and DOCX export and the revision diff at a quarter and all of the articles."""
    from accord.charter import diff, formats, queries  # noqa: PLC0415
    from accord.charter.exports import export  # noqa: PLC0415

    found = queries.document(document)
    assert found is not None
    whole = queries.compilation(found)
    small, large = size.articles // 4, size.articles
    rows: dict[str, Any] = {}
    for articles in (small, large):
        compilation = _articles_of(whole, articles)
        source = markdown(articles)
        old = provisions(articles)
        new = _revised(old)
        operations: dict[str, Callable[[], object]] = {
            "import_markdown": partial(formats.read, source, "charter.md", language="en"),
            "export_akn": partial(export, compilation, "akn", brackets=True),
            "export_docx": partial(export, compilation, "docx", brackets=True),
            "revision_diff": partial(diff.revision_diff, old, new),
        }
        for name, operation in operations.items():
            operation()  # warm: imports and caches, measured apart from the work
            rows.setdefault(name, {})[str(articles)] = _median(operation, size.repeats)
    for row in rows.values():
        row["ratio"] = row[str(large)] / row[str(small)]
    rows["articles"] = [small, large]
    return rows


def child_charter(size_name: str) -> dict[str, Any]:
    _setup()
    size = SIZES[size_name]
    document, ingestion = build(size)
    return {
        "ingestion": ingestion,
        "pages": _pages(document, size),
        "scaling": _scaling(document, size),
    }


def _child(size_name: str, folder: Path) -> dict[str, Any]:
    return run_child("bench.charter_bench", [size_name], folder, kek=KEK)


def _rows(results: dict[str, Any]) -> Iterator[tuple[str, str, str, str, str]]:
    pages = results["pages"]
    yield (
        f"bracketed page, {pages['articles']:,} articles, {pages['amendments']:,} amendments",
        f"{pages['bracketed_s'] * 1000:,.0f} ms",
        f"plain {pages['plain_s'] * 1000:,.0f} ms",
        f"{pages['ratio']:.2f}x",
        "<= 3x",
    )
    yield (
        "  queries: bracketed / plain",
        f"{pages['bracketed_queries']}",
        f"{pages['plain_queries']}",
        "",
        "fixed",
    )
    scaling = results["scaling"]
    small, large = scaling["articles"]
    for name in ("import_markdown", "export_akn", "export_docx", "revision_diff"):
        row = scaling[name]
        yield (
            f"{name.replace('_', ' ')}, {small} -> {large} articles",
            f"{row[str(large)] * 1000:,.1f} ms",
            f"{row[str(small)] * 1000:,.1f} ms",
            f"{row['ratio']:.2f}",
            f"~{large / small:.0f} (linear)",
        )
    ingestion = results["ingestion"]
    yield (
        f"bulk ingestion, {ingestion['statements']:,} own-key statements",
        f"{ingestion['ingest_per_s']:,.0f}/s",
        "",
        "",
        "",
    )


def main() -> None:
    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    size_name = run_size()
    size = SIZES[size_name]
    out = result_path(RESULTS)
    console = Console()
    with (
        tempfile.TemporaryDirectory() as scratch,
        console.status(
            f"a charter of {size.articles} articles with {size.amendments:,} amendments"
        ),
    ):
        results = _child(size_name, Path(scratch))
    for part in ("ingestion", "pages", "scaling"):
        assert part in results, f"the result has no {part} row"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    table = Table(title="Accord charter (ratios measured in one run)")
    for column in ("operation", "ours", "against", "ratio", "target"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for row in _rows(results):
        table.add_row(*row)
    console.print(table)
    console.print(f"Wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child_charter(sys.argv[2])))
    else:
        main()
