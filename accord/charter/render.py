"""The document page's provisions, options and amendment forms, written out in Python.

Through the partials, a bracketed charter of 100 articles with 1,000 open amendments cost
24,000 template variable lookups, 1,100 ``{% include %}``\\ s and 6,000 localised numbers,
and Django's template engine spent 90% of the page's time on them (at 400 articles and
4,000 amendments: 1.0 s of 1.5 s). Here each provision is one string join: every word of
the interface is translated once per page (``Words``), every text from the log is escaped
where it is written, and the only work left per cell is escaping it (a few microseconds an
option). The markup is the one the partials wrote, so the page reads and behaves the same.
No query.

Escaping is the standard library's ``html.escape``, the function Django's ``escape`` calls
(without the lazy-string wrapper that costs more than the escaping): ``& < > " '`` become
entities in every text, heading, name and identifier.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accord.charter.acts import ACTIONS, STANCES
from accord.charter.forms import AmendForm
from accord.charter.templatetags.charter_words import ELEMENTS, NO_STANCE
from accord.charter.text import Compiled, Option, Provision
from accord.forum.views import ActForm

_PLACE = 987654321
"""A number the amendment page's URL holds nowhere else: reversed once a page, the URL is
split around it and each amendment's entry written between the halves."""


@dataclass(frozen=True)
class Shown:
    """One provision as the document page shows it, with its amendment form if offered."""

    compiled: Compiled
    depth: int
    heading_level: int
    act: ActForm | None


@dataclass(frozen=True)
class Words:
    """Every interface word the provisions need, in the reader's language, escaped: one
    ``gettext`` per word per page instead of one per cell."""

    elements: dict[str, str]
    actions: dict[str, str]
    stances: dict[str, str]
    sponsors: str
    agreeable: str
    agreeable_option: str
    every_objected: str
    amendment: str
    """"Amendment %(entry)s" translated, unescaped: it is escaped once filled in."""
    propose: str
    amendment_url: tuple[str, str]
    """The amendment page's URL around its entry number."""
    form_labels: tuple[str, str, str, str]
    form_choices: str
    """The ``<option>``\\ s of what an amendment does, written once."""

    @classmethod
    def current(cls) -> "Words":
        """The words in the active language; costs a few dozen ``gettext`` lookups."""
        before, after = reverse("charter-amendment", args=[_PLACE]).split(str(_PLACE))
        fields = AmendForm.base_fields
        on_action, on_heading, on_text, on_rationale = (
            escape(str(fields[name].label)) for name in ("action", "heading", "text", "rationale")
        )
        choices = "".join(  # the form's choices are ACTIONS, in order
            f'<option value="{escape(code)}">{escape(str(word))}</option>'
            for code, word in ACTIONS.items()
        )
        return cls(
            elements={code: str(word) for code, word in ELEMENTS.items()},
            actions={code: escape(str(word)) for code, word in ACTIONS.items()},
            stances={code: escape(str(word)) for code, word in STANCES.items()},
            sponsors=escape(_("Sponsors:")),
            agreeable=escape(_("agreeable")),
            agreeable_option=escape(_("An option is agreeable: no party objects to it.")),
            every_objected=escape(_("In brackets: every option meets an objection.")),
            amendment=_("Amendment %(entry)s"),
            propose=escape(_("Propose an amendment")),
            amendment_url=(escape(before), escape(after)),
            form_labels=(on_action, on_heading, on_text, on_rationale),
            form_choices=choices,
        )

    def label(self, provision: Provision) -> str:
        """What ``charter_words.label`` says ("Article 5"), unescaped, from this page's words."""
        word = self.elements.get(provision.element) or provision.element.capitalize()
        number = provision.num.strip(".()") or provision.eid.rsplit("_", 1)[-1]
        return f"{word} {number}"

    def stance(self, code: str) -> str:
        found = self.stances.get(code)
        return found if found is not None else escape(code or str(NO_STANCE))


def _lines(text: str) -> str:
    """``{{ text|linebreaksbr }}``: escaped, every line break a ``<br>``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return escape(text).replace("\n", "<br>")


def _tally(option: Option, words: Words) -> str:
    return " · ".join(f"{words.stance(code)} {count}" for code, count in option.tally.items())


def option_html(option: Option, words: Words) -> str:
    """One open amendment in its bracket: what it does, its text, sponsors, tally, link."""
    entry = option.amendment
    action = words.actions.get(option.action) or escape(option.action)
    heading = f": <em>{escape(option.heading)}</em>" if option.heading else ""
    text = f": {_lines(option.text)}" if option.text else ""
    sponsors = ", ".join(escape(name) for name in option.sponsors)
    agreeable = f'<span class="ok">{words.agreeable}</span>\n' if option.agreeable else ""
    before, after = words.amendment_url
    return (
        f'<div class="option" id="option-{entry}">\n'
        f"<p>[<strong>{action}</strong>{heading}{text}]</p>\n"
        f'<p class="muted">{words.sponsors} {sponsors}.\n{_tally(option, words)}.\n'
        f'{agreeable}<a href="{before}{entry}{after}">'
        f"{escape(words.amendment % {'entry': entry})}</a></p>\n</div>\n"
    )


def amend_form_html(act: ActForm, eid: str, words: Words, csrf_token: str) -> str:
    """The amendment form in place under one provision, posting to ``act.action`` and
    swapped for its answer by htmx; written out as ``form.as_div`` would, at a tenth."""
    box, action = escape(act.box), escape(act.action)
    on_action, on_heading, on_text, on_rationale = words.form_labels
    return (
        f'<div id="{box}">\n<form method="post" action="{action}" hx-post="{action}"'
        f' hx-target="#{box}" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
        f'<input type="hidden" name="provision" value="{escape(eid)}">\n'
        f'<div><label for="{box}-action">{on_action}</label>\n'
        f'<select name="action" id="{box}-action">{words.form_choices}</select></div>\n'
        f'<div><label for="{box}-heading">{on_heading}</label>\n'
        f'<input type="text" name="heading" maxlength="2000" id="{box}-heading"></div>\n'
        f'<div><label for="{box}-text">{on_text}</label>\n'
        f'<textarea name="text" rows="4" cols="30" id="{box}-text"></textarea></div>\n'
        f'<div><label for="{box}-rationale">{on_rationale}</label>\n'
        f'<textarea name="rationale" rows="4" cols="30" id="{box}-rationale"></textarea></div>\n'
        f'<button type="submit">{escape(act.label)}</button>\n</form></div>\n'
    )


def _heading(row: Shown, words: Words) -> str:
    provision = row.compiled.provision
    label = escape(words.label(provision))
    heading = escape(provision.heading)
    if row.heading_level in {2, 3}:
        level = row.heading_level
        return f"<h{level}>{label}{'. ' + heading if heading else ''}</h{level}>\n"
    return f"<p><strong>{label}</strong>{' ' + heading if heading else ''}</p>\n"


def _brackets(compiled: Compiled, words: Words) -> Iterable[str]:
    if compiled.agreeable:
        yield f'<div class="brackets">\n<p><span class="ok">{words.agreeable_option}</span></p>\n'
    else:
        yield f'<div class="brackets">\n<p><span class="bad">{words.every_objected}</span></p>\n'
    for option in compiled.options:
        yield option_html(option, words)
    yield "</div>\n"


def provision_html(
    row: Shown, words: Words, *, bracketed: bool, language: str, csrf_token: str
) -> str:
    """One provision: its label and heading, its text (in brackets when it has options and
    the page shows them), the options, and the amendment form when the reader may amend."""
    compiled, provision = row.compiled, row.compiled.provision
    parts = [
        f'<section id="{escape(provision.eid)}" class="provision depth-{row.depth}">\n',
        _heading(row, words),
    ]
    in_brackets = bracketed and compiled.bracketed
    if provision.text:
        text = _lines(provision.text)
        text = f"[{text}]" if in_brackets else text
        parts.append(f'<p lang="{escape(language)}">{text}</p>\n')
    if in_brackets:
        parts.extend(_brackets(compiled, words))
    if row.act is not None:
        parts.append(f"<details><summary>{words.propose}</summary>\n")
        parts.append(amend_form_html(row.act, provision.eid, words, csrf_token))
        parts.append("</details>\n")
    parts.append("</section>\n")
    return "".join(parts)


def provisions_html(
    rows: Sequence[Shown], *, bracketed: bool, language: str, csrf_token: str = ""
) -> SafeString:
    """Every provision of the page as one piece of markup, every text in it escaped; linear
    in provisions and options, a few microseconds each."""
    words = Words.current()
    return mark_safe(  # noqa: S308 -- every text from the log is escaped above
        "".join(
            provision_html(
                row, words, bracketed=bracketed, language=language, csrf_token=csrf_token
            )
            for row in rows
        )
    )
