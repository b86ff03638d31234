"""The document page's provisions written in Python: every text from the log escaped wherever
it lands (text, heading, sponsor, identifier), line breaks kept, tallies and words as the
templates printed them, in the reader's language."""

from django.utils import translation

from accord.charter.render import Shown, provisions_html
from accord.charter.text import Compiled, Option, Provision
from accord.forum.views import ActForm

SCRIPT = "<script>alert(1)</script>"


def _row(*options: Option, act: ActForm | None = None) -> Shown:
    provision = Provision(f'art_1"{SCRIPT}', "article", "1", f"Head {SCRIPT}", "One\r\ntwo")
    return Shown(Compiled(provision, options), depth=1, heading_level=3, act=act)


def _option(**changed: object) -> Option:
    fields: dict[str, object] = {
        "amendment": 41,
        "action": "replace",
        "text": f"New {SCRIPT}\nline",
        "heading": f"H {SCRIPT}",
        "sponsors": (f"State {SCRIPT}", "State B"),
        "positions": (("State A", "object"), ("State B", "support")),
    }
    return Option(**(fields | changed))  # type: ignore[arg-type]


def test_every_text_is_escaped_and_line_breaks_kept() -> None:
    act = ActForm(f"amend-{SCRIPT}", "/charter/7/amend", f"Propose {SCRIPT}")
    page = provisions_html(
        [_row(_option(), act=act)], bracketed=True, language='en"', csrf_token='t"k'
    )
    assert "<script" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for where in (
        f'<section id="art_1&quot;{escaped}"',  # the eId
        f"<h3>Article 1. Head {escaped}</h3>",
        f"<em>H {escaped}</em>",
        f"State {escaped}, State B.",
        f'<div id="amend-{escaped}">',
        f'value="art_1&quot;{escaped}"',
        f"Propose {escaped}</button>",
    ):
        assert where in page
    assert "[One<br>two]" in page
    assert "New &lt;script&gt;alert(1)&lt;/script&gt;<br>line" in page
    assert 'lang="en&quot;"' in page
    assert 'value="t&quot;k"' in page


def test_an_option_shows_its_tally_sponsors_and_link() -> None:
    page = provisions_html(
        [_row(_option(positions=(("State B", "support"),)))], bracketed=True, language="en"
    )
    assert "support 1 · can accept 0 · reserve 0 · object 0." in page
    assert "State &lt;script&gt;alert(1)&lt;/script&gt;, State B." in page
    assert '<a href="/charter/amendments/41/">Amendment 41</a>' in page
    assert '<span class="ok">agreeable</span>' in page
    assert "An option is agreeable: no party objects to it." in page


def test_the_clean_view_shows_no_brackets_or_options() -> None:
    page = provisions_html([_row(_option())], bracketed=False, language="en")
    assert "[" not in page
    assert "option-41" not in page
    assert '<p lang="en">One<br>two</p>' in page


def test_the_words_are_the_readers_language() -> None:
    with translation.override("ru"):
        page = provisions_html([_row(_option())], bracketed=True, language="ru")
    assert "Статья 1" in page
    assert "Поправка 41" in page
    assert "Авторы:" in page
    assert "Sponsors" not in page
