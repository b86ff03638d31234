"""Compilations the export tests read: each one probes a boundary of the formats.

- ``charter()``: the draft Eurasian Charter in English, a preamble, a part with a chapter
  and articles, paragraphs with points; article 2 bracketed with two options, one with a
  co-sponsor, one that no party objects to.
- ``charter(status="adopted")``: the same text adopted (an AKN ``act``).
- ``hostile()``: markup, ``<script>``, ``&`` and ``<`` in every field, and a NUL byte.
- ``russian()`` and ``chinese()``: Cyrillic and CJK texts, options sponsored by name.
- ``with_attachment()``: an act approving a convention attached to it, which has its
  own preamble and articles.
- ``long_charter(n)``: ``n`` articles of two paragraphs, every tenth bracketed.
"""

from dataclasses import replace

from accord.charter.text import Compilation, Compiled, Option, Provision

PARTIES = {
    "KZ": "Kazakhstan",
    "AM": "Armenia",
    "BY": "Belarus",
    "CN": "China",
    "RU": "Russian Federation",
}


def _option_57() -> Option:
    return Option(
        amendment=57,
        action="replace",
        text="Each Party may notify the other Parties of major military exercises.",
        heading="",
        sponsors=("Kazakhstan", "Armenia"),
        positions=(
            ("Armenia", "support"),
            ("Belarus", "object"),
            ("China", "support"),
            ("Kazakhstan", "support"),
            ("Russian Federation", "accept"),
        ),
        rationale="Notification should be voluntary.",
    )


def _option_58() -> Option:
    return Option(
        amendment=58,
        action="insert_after",
        text="Notifications shall be made in writing.",
        heading="",
        sponsors=("Belarus",),
        positions=(("Armenia", "reserve"), ("Kazakhstan", "accept")),
    )


def provisions() -> list[Provision]:
    return [
        Provision("recs__rec_1", "recital", text="Recalling the principles of sovereign equality,"),
        Provision("recs__rec_2", "recital", text="Convinced that dialogue builds confidence,"),
        Provision("part_I", "part", num="I", heading="Principles"),
        Provision("part_I__chp_1", "chapter", num="1", heading="General", parent="part_I"),
        Provision(
            "part_I__chp_1__art_1",
            "article",
            num="1",
            heading="Purpose",
            text="The Parties establish a forum for dialogue.",
            parent="part_I__chp_1",
        ),
        Provision(
            "part_I__chp_1__art_2",
            "article",
            num="2",
            heading="Notification",
            parent="part_I__chp_1",
        ),
        Provision(
            "part_I__chp_1__art_2__para_1",
            "paragraph",
            num="1.",
            text="Each Party shall notify the other Parties of:",
            parent="part_I__chp_1__art_2",
        ),
        Provision(
            "part_I__chp_1__art_2__para_1__point_a",
            "point",
            num="(a)",
            text="major military exercises;",
            parent="part_I__chp_1__art_2__para_1",
        ),
        Provision(
            "part_I__chp_1__art_2__para_1__point_b",
            "point",
            num="(b)",
            text="transfers of troops.",
            parent="part_I__chp_1__art_2__para_1",
        ),
        Provision(
            "part_I__chp_1__art_2__para_2",
            "paragraph",
            num="2.",
            text="Notifications are public.",
            parent="part_I__chp_1__art_2",
        ),
        Provision(
            "art_3",
            "article",
            num="3",
            heading="Entry into force",
            text="This Charter enters into force on signature.",
        ),
    ]


def charter(status: str = "draft") -> Compilation:
    options = {"part_I__chp_1__art_2__para_1": (_option_57(), _option_58())}
    return Compilation(
        symbol="ESD.L/1/25",
        title="Eurasian Charter of Diversity and Multipolarity",
        language="en",
        original_language="en",
        status=status,
        revision=1,
        forum="Eurasian Security Dialogue",
        introduced_on="2025-01-30",
        revised_on="2025-03-02",
        provisions=tuple(Compiled(p, options.get(p.eid, ())) for p in provisions()),
        decision="ESD.DEC/1/25" if status == "adopted" else "",
        parties=PARTIES,
    )


HOSTILE = '<script>alert("x")</script> & <b>bold</b> a < b > c ]]> # *not* [link](http://x) \x00end'


def hostile() -> Compilation:
    base = charter()
    option = replace(
        _option_57(), text=HOSTILE, heading="<i>h</i>", sponsors=("<Kazakhstan & co>",)
    )
    compiled = []
    for c in base.provisions:
        p = c.provision
        p = replace(p, text=HOSTILE if p.text else "", heading=HOSTILE if p.heading else "")
        compiled.append(Compiled(p, (option,) if c.options else ()))
    return replace(base, title=HOSTILE, provisions=tuple(compiled))


def russian() -> Compilation:
    items = [
        Provision(
            "recs__rec_1", "recital", text="Руководствуясь принципами суверенного равенства,"
        ),
        Provision(
            "art_1", "article", num="1", heading="Цель", text="Стороны учреждают форум для диалога."
        ),
        Provision(
            "art_2",
            "article",
            num="2",
            heading="Уведомление",
            text="Каждая Сторона уведомляет другие Стороны.",
        ),
    ]
    option = Option(
        amendment=12,
        action="replace",
        text="Каждая Сторона может уведомлять другие Стороны.",
        heading="",
        sponsors=("Российская Федерация", "Беларусь"),
        positions=(("Беларусь", "support"),),
    )
    return Compilation(
        symbol="ESD.L/2/25",
        title="Евразийская хартия разнообразия и многополярности",
        language="ru",
        original_language="ru",
        status="draft",
        revision=0,
        forum="Евразийский диалог",
        introduced_on="2025-02-01",
        revised_on="",
        provisions=(Compiled(items[0]), Compiled(items[1]), Compiled(items[2], (option,))),
        parties={"RU": "Российская Федерация", "BY": "Беларусь"},
    )


def chinese() -> Compilation:
    items = [
        Provision("art_1", "article", num="1", heading="宗旨", text="各方建立对话论坛。"),
        Provision("art_2", "article", num="2", heading="通知", text="各方应当通知其他各方。"),
    ]
    option = Option(
        amendment=21,
        action="replace",
        text="各方可以通知其他各方。",
        heading="",
        sponsors=("中国",),
        positions=(("中国", "support"), ("Kazakhstan", "object")),
    )
    return Compilation(
        symbol="ESD.L/3/25",
        title="欧亚多样性与多极化宪章",
        language="zh",
        original_language="en",
        status="draft",
        revision=2,
        forum="欧亚安全对话",
        introduced_on="2025-02-03",
        revised_on="2025-04-01",
        provisions=(Compiled(items[0]), Compiled(items[1], (option,))),
        parties={"CN": "中国", "KZ": "Kazakhstan"},
    )


def with_attachment() -> Compilation:
    items = [
        Provision(
            "art_1",
            "article",
            num="1",
            text="The Convention attached to this Decision is approved.",
        ),
        Provision("att_1", "attachment", num="Annex", heading="Convention on Dialogue"),
        Provision(
            "att_1__recs__rec_1", "recital", text="Desiring to strengthen dialogue,", parent="att_1"
        ),
        Provision(
            "att_1__art_1",
            "article",
            num="1",
            heading="Scope",
            parent="att_1",
            text="This Convention applies to the Parties.",
        ),
        Provision("att_1__art_2", "article", num="2", heading="Meetings", parent="att_1"),
        Provision(
            "att_1__art_2__para_1",
            "paragraph",
            num="1.",
            parent="att_1__art_2",
            text="The Parties meet yearly.",
        ),
        Provision(
            "att_2",
            "attachment",
            num="Annex II",
            heading="List of Parties",
            text="Armenia, Belarus, Kazakhstan.",
        ),
    ]
    option = Option(
        57,
        "replace",
        "The Parties meet twice a year.",
        "",
        ("Kazakhstan",),
        (("Armenia", "object"),),
    )
    base = charter(status="adopted")
    return replace(
        base,
        title="Decision approving the Convention on Dialogue",
        provisions=tuple(
            Compiled(p, (option,) if p.eid == "att_1__art_2__para_1" else ()) for p in items
        ),
    )


def long_charter(articles: int) -> Compilation:
    compiled: list[Compiled] = [Compiled(Provision("recs__rec_1", "recital", text="Recalling,"))]
    for n in range(1, articles + 1):
        art = f"art_{n}"
        compiled.append(
            Compiled(Provision(art, "article", num=str(n), heading=f"Article heading {n}"))
        )
        for m in (1, 2):
            options: tuple[Option, ...] = ()
            if n % 10 == 0 and m == 1:
                options = (
                    Option(
                        n * 10,
                        "replace",
                        f"Alternative wording {n}.",
                        "",
                        ("Kazakhstan", "Armenia"),
                        (("Belarus", "object"),),
                    ),
                    Option(n * 10 + 1, "delete", "", "", ("Belarus",), (("Armenia", "support"),)),
                )
            text = f"Paragraph {m} of article {n}: each Party shall take the measures it needs."
            compiled.append(
                Compiled(
                    Provision(f"{art}__para_{m}", "paragraph", num=f"{m}.", text=text, parent=art),
                    options,
                )
            )
    return replace(charter(), provisions=tuple(compiled))
