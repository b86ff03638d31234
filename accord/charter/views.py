"""The charter's pages: documents clean and in brackets, amendments, positions, revisions,
silence and decisions, read by anyone and acted on by signed-in people for their party.

Every act goes through the declaration in ``accord.charter.acts`` by way of the forum's
``_act``, so the rules profile and the log decide on the web exactly as on the API and the
CLI; a form appears only when ``offered`` says the profile grants the act to the reader. A
POST first asks who acts (403 for a stranger, before anything is looked up). Each page's
query count is fixed: it does not grow with provisions, amendments or parties (a test
counts the bracketed document page's).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accord.charter import actions, acts, chart, queries
from accord.charter import diff as charter_diff
from accord.charter.forms import (
    DROP,
    INCORPORATE,
    AmendForm,
    BreakForm,
    ConcludeForm,
    InterpretForm,
    IntroduceForm,
    PositionForm,
    RevisionForm,
    SilenceForm,
    TranslateForm,
)
from accord.charter.models import Amendment, Document
from accord.charter.render import Shown, provisions_html
from accord.charter.rules import silence_bounds
from accord.charter.templatetags.charter_words import NO_STANCE, label, remaining
from accord.charter.text import Compilation, Compiled, Provision
from accord.forum import queries as forum_queries
from accord.forum.actions import Actor
from accord.forum.views import (
    ActForm,
    act_from_form,
    acting_person,
    offered,
    page_or_partial,
    shown,
)
from accord.ledger.acts import Act
from accord.ledger.envelope import parse_time
from accord.lib import clock
from accord.people.signin import person_of

INTRODUCE_BOX, TRANSLATE_BOX, SILENCE_BOX = "introduce-form", "translate-form", "silence-form"
COSPONSOR_BOX, POSITION_BOX, WITHDRAW_BOX = "cosponsor-form", "position-form", "withdraw-form"
REVISE_BOX, BREAK_BOX, CONCLUDE_BOX = "revise-form", "break-form", "conclude-form"
INTERPRET_BOX = "interpret-form"
ACT_FORM = "charter/partials/_act_form.html"
CONTAINERS = ("part", "title", "chapter", "subchapter", "section", "subsection", "attachment")

Perform = Callable[[Actor, dict[str, Any]], dict[str, Any]]


def _declared(act: Act) -> Perform:
    """The declaration's own perform, its receipts for the receipt page."""
    return lambda actor, data: {"accepted": act.action(actor, data)}


def _document(entry: int) -> Document:
    found = queries.document(entry)
    if found is None:
        raise Http404(f"entry {entry} is not a document of this forum")
    return found


def _languages() -> list[str]:
    """The forum's official languages; one query."""
    found = forum_queries.forum()
    return list(found.languages) if found is not None else ["en"]


def _open_brackets() -> dict[int, int]:
    """Provisions with open amendments, per document: one query for the whole list."""
    rows = (
        Amendment.objects.filter(status="open")
        .values("document")
        .annotate(brackets=Count("eid", distinct=True))
    )
    return {row["document"]: row["brackets"] for row in rows}


# -- documents ------------------------------------------------------------------------------------


@require_safe
def documents(request: HttpRequest) -> HttpResponse:
    """Every document with its symbol, status, revision and brackets remaining, and the form
    to introduce one from a file."""
    brackets = _open_brackets()
    context = {
        "rows": [(found, brackets.get(found.entry_index, 0)) for found in queries.documents()],
        "form": IntroduceForm(languages=_languages()),
        "act": offered(request, acts.INTRODUCE, INTRODUCE_BOX),
    }
    return render(request, "charter/documents.html", context)


@require_POST
def introduce(request: HttpRequest) -> HttpResponse:
    """Import the uploaded file (``accord.charter.formats``) and introduce its text; a file
    that cannot become a document gets the importer's sentence beside the form."""
    from accord.charter.formats import ImportRefused, read  # noqa: PLC0415 -- the importers load on use

    acting_person(request)
    act = acts.INTRODUCE
    form = IntroduceForm(request.POST, request.FILES, languages=_languages())
    shown_as = shown(act, INTRODUCE_BOX)
    context: dict[str, Any] = {"form": form, "act": shown_as, "multipart": True}
    if not form.is_valid():
        return page_or_partial(request, ACT_FORM, "charter/act.html", context, status=400)
    upload = form.cleaned_data["file"]
    try:
        draft = read(upload.read(), upload.name, language=form.cleaned_data["language"])
    except ImportRefused as refused:
        context["refusal"] = str(refused)
        return page_or_partial(request, ACT_FORM, "charter/act.html", context, status=422)
    fields = {
        "title": form.cleaned_data["title"] or draft.title,
        "language": draft.language,
        "provisions": actions.provisions_of(draft.provisions),
    }

    def perform(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
        made = actions.introduce(actor, data["title"], data["language"], data["provisions"])
        return {"accepted": [made]}

    return act_from_form(request, form, perform, shown_as, act, fields)


def _depths(provisions: Iterable[Provision]) -> dict[str, int]:
    depths: dict[str, int] = {}
    for provision in provisions:
        depths[provision.eid] = depths.get(provision.parent, 0) + 1 if provision.parent else 1
    return depths


def _reading_language(request: HttpRequest, official: list[str], original: str) -> str:
    """The language a document is read in: the one asked for (``?lang=``), else the reader's
    own when it is an official language (a provision not yet translated, or whose translation
    is out of date, still shows its original), else the original."""
    asked = request.GET.get("lang", "")
    if asked in official:
        return asked
    reader = translation.get_language() or ""
    return reader if reader in official else original


def _asked_languages(request: HttpRequest, official: list[str]) -> list[str]:
    asked = [code.strip() for code in request.GET.get("languages", "").split(",")]
    return [code for code in dict.fromkeys(asked) if code in official]


def _shown(compilation: tuple[Compiled, ...], amend: ActForm | None) -> list[Shown]:
    depths = _depths(c.provision for c in compilation)
    rows = []
    for compiled in compilation:
        eid = compiled.provision.eid
        element = compiled.provision.element
        level = 2 if element in CONTAINERS else 3 if element == "article" else 0
        act = replace(amend, box=f"amend-{eid}") if amend is not None else None
        rows.append(Shown(compiled, depths[eid], level, act))
    return rows


def _provisions(
    request: HttpRequest, compilation: Compilation, amend: ActForm | None, *, bracketed: bool
) -> SafeString:
    """The page's provisions with their options and, on a draft, the amendment form under
    each, written by ``accord.charter.render`` (a template per option cost ten times more)."""
    offered_here = amend if compilation.status == "draft" else None
    return provisions_html(
        _shown(compilation.provisions, offered_here),
        bracketed=bracketed,
        language=compilation.language,
        csrf_token=get_token(request) if offered_here is not None else "",
    )


@require_safe
def document(request: HttpRequest, document: int) -> HttpResponse:
    """A document, clean or in brackets (``?view=brackets``), in one language (``?lang=``) or
    several side by side (``?languages=en,ru``). Its query count does not grow with the
    number of provisions or amendments."""
    found = _document(document)
    official = _languages()
    bracketed = request.GET.get("view") == "brackets"
    language = _reading_language(request, official, found.language)
    compilation = queries.compilation(found, language=language)
    side = _asked_languages(request, official)
    amend = offered(request, acts.AMEND, "amend", found.entry_index)
    silence = offered(request, acts.SILENCE, SILENCE_BOX, found.entry_index)
    translate = offered(request, acts.TRANSLATE, TRANSLATE_BOX, found.entry_index)
    context: dict[str, Any] = {
        "document": found,
        "compilation": compilation,
        "bracketed": bracketed,
        "language": language,
        "languages": official,
        "side_languages": side,
        "side_by_side": queries.side_by_side(found, side) if len(side) > 1 else [],
        "provisions": ""
        if len(side) > 1
        else _provisions(request, compilation, amend, bracketed=bracketed),
        "exports": [
            (fmt, reverse("charter-export", args=[found.entry_index, fmt]))
            for fmt in _export_formats()
        ],
        "procedures": queries.procedures(found),
        "silence_act": silence,
        "silence_form": _silence_form(found) if silence else None,
        "translate_act": translate,
        "translate_form": TranslateForm(
            provisions=[(c.provision.eid, label(c.provision)) for c in compilation.provisions],
            languages=[code for code in official if code != found.language],
        )
        if translate
        else None,
    }
    return render(request, "charter/document.html", context)


def _silence_form(found: Document) -> SilenceForm:
    """The silence form with the current revision and a deadline a day past the shortest the
    rules allow."""
    shortest, _longest = silence_bounds()
    until = (clock.now() + shortest + timedelta(days=1)).replace(second=0, microsecond=0)
    return SilenceForm(initial={"revision": found.revision, "until": until.replace(tzinfo=None)})


def _export_formats() -> tuple[str, ...]:
    from accord.charter.exports import FORMATS  # noqa: PLC0415 -- the exporters load on use

    return FORMATS


@require_safe
def export(request: HttpRequest, document: int, fmt: str) -> HttpResponse:
    """The document in a format (``text md akn docx html pdf``), with its brackets when
    ``?brackets=1``, in a language when ``?lang=``; a download named by its symbol."""
    from accord.charter.exports import EXTENSIONS, FORMATS, MEDIA_TYPES, export  # noqa: PLC0415

    found = _document(document)
    if fmt not in FORMATS:
        raise Http404(f"{fmt} is not an export format")
    language = request.GET.get("lang", "")
    compilation = queries.compilation(found, language=language or None)
    data = export(compilation, fmt, brackets=request.GET.get("brackets") == "1")
    response = HttpResponse(data, content_type=MEDIA_TYPES[fmt])
    name = compilation.symbol.replace("/", "-").replace(".", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[fmt]}"'
    return response


@require_POST
def amend(request: HttpRequest, document: int) -> HttpResponse:
    acting_person(request)
    form = AmendForm(request.POST)
    eid = request.POST.get("provision", "")
    act = acts.AMEND
    shown_as = shown(act, f"amend-{eid}", document)
    return act_from_form(request, form, _declared(act), shown_as, act, {"document": document})


@require_POST
def translate(request: HttpRequest, document: int) -> HttpResponse:
    acting_person(request)
    found = _document(document)
    official = _languages()
    form = TranslateForm(
        request.POST,
        provisions=[(p.eid, p.eid) for p in queries.text_of(found)],
        languages=[code for code in official if code != found.language],
    )
    act = acts.TRANSLATE
    shown_as = shown(act, TRANSLATE_BOX, document)
    return act_from_form(request, form, _declared(act), shown_as, act, {"document": document})


@require_POST
def silence(request: HttpRequest, document: int) -> HttpResponse:
    acting_person(request)
    act = acts.SILENCE
    shown_as = shown(act, SILENCE_BOX, document)
    form = SilenceForm(request.POST)
    return act_from_form(request, form, _declared(act), shown_as, act, {"document": document})


# -- amendments -----------------------------------------------------------------------------------


def _runs(action: str, base: str, proposed: str) -> list[tuple[str, str]]:
    """The word diff an amendment makes: its new text against the base for a replacement,
    all new for an insertion, all gone for a deletion."""
    if action == "replace":
        return charter_diff.diff(base, proposed)
    if action == "delete":
        return [("delete", base)] if base else []
    return [("insert", proposed)] if proposed else []


@require_safe
def amendment(request: HttpRequest, amendment: int) -> HttpResponse:
    """A provision with one amendment: the word diff, who backs it, where every party stands,
    the history of positions, and the forms the reader may use."""
    view = queries.amendment(amendment)
    if view is None:
        raise Http404(f"entry {amendment} is not an amendment")
    row = view.amendment
    found = _document(row.document)
    base = next((p for p in queries.text_of(found, row.revision) if p.eid == row.eid), None)
    person = person_of(request)
    party = person.party if person is not None else None
    is_open = row.status == "open"
    context = {
        "view": view,
        "amendment": row,
        "document": found,
        "base": base,
        "runs": _runs(row.action, base.text if base else "", row.text),
        "heading_runs": charter_diff.diff(base.heading if base else "", row.heading)
        if row.action == "replace" and row.heading
        else [],
        "history": queries.history(amendment),
        "cosponsor_act": offered(request, acts.COSPONSOR, COSPONSOR_BOX, amendment)
        if is_open and party not in view.sponsors
        else None,
        "position_act": offered(request, acts.POSITION, POSITION_BOX, amendment)
        if is_open
        else None,
        "position_form": PositionForm(),
        "withdraw_act": offered(request, acts.WITHDRAW, WITHDRAW_BOX, amendment)
        if is_open and party == row.sponsor
        else None,
    }
    return render(request, "charter/amendment.html", context)


def _amendment_act(
    request: HttpRequest, amendment: int, act: Act, form: forms.Form, box: str
) -> HttpResponse:
    acting_person(request)
    shown_as = shown(act, box, amendment)
    return act_from_form(request, form, _declared(act), shown_as, act, {"amendment": amendment})


@require_POST
def cosponsor(request: HttpRequest, amendment: int) -> HttpResponse:
    form = forms.Form(request.POST)
    return _amendment_act(request, amendment, acts.COSPONSOR, form, COSPONSOR_BOX)


@require_POST
def position(request: HttpRequest, amendment: int) -> HttpResponse:
    form = PositionForm(request.POST)
    return _amendment_act(request, amendment, acts.POSITION, form, POSITION_BOX)


@require_POST
def withdraw(request: HttpRequest, amendment: int) -> HttpResponse:
    form = forms.Form(request.POST)
    return _amendment_act(request, amendment, acts.WITHDRAW, form, WITHDRAW_BOX)


# -- positions ------------------------------------------------------------------------------------


def _stance_words() -> dict[str, str]:
    return {**{code: str(word) for code, word in acts.STANCES.items()}, "": str(NO_STANCE)}


@require_safe
def positions(request: HttpRequest, document: int) -> HttpResponse:
    """The positions matrix (parties × open amendments) as a chart and a table, the objections
    each party still holds, and the convergence of brackets over the revisions."""
    found = _document(document)
    grid = queries.matrix(found)
    labels = {p.eid: label(p) for p in queries.text_of(found)}
    columns = [str(view.amendment.entry_index) for view in grid.amendments]
    stances = [
        [grid.stance(code, view) for view in grid.amendments] for code, _name in grid.parties
    ]
    points = queries.convergence(found)
    held = queries.objections(found)
    context = {
        "document": found,
        "grid": grid,
        "table": [
            (code, name, list(zip(grid.amendments, row, strict=True)))
            for (code, name), row in zip(grid.parties, stances, strict=True)
        ],
        "columns": [
            (view, labels.get(view.amendment.eid, view.amendment.eid)) for view in grid.amendments
        ],
        "matrix_chart": mark_safe(  # noqa: S308 -- chart.matrix escapes every text it draws
            chart.matrix(
                [name for _code, name in grid.parties],
                columns,
                stances,
                words=_stance_words(),
                title=_("Positions of the parties on the open amendments"),
                cell_title=_("%(party)s on amendment %(amendment)s: %(stance)s"),
            )
        )
        if grid.amendments and grid.parties
        else "",
        "points": points,
        "convergence_chart": mark_safe(  # noqa: S308 -- chart.convergence escapes its labels
            chart.convergence(points, _("Brackets remaining per revision"))
        ),
        "held": [(code, name, held.get(code, [])) for code, name in grid.parties],
    }
    return render(request, "charter/positions.html", context)


# -- revisions ------------------------------------------------------------------------------------


@require_safe
def revisions(request: HttpRequest, document: int) -> HttpResponse:
    """The document's revisions, and for the chair the next revision's form: per open
    amendment, incorporate, drop or keep in brackets."""
    found = _document(document)
    open_now = queries.amendments(found)
    act = offered(request, acts.REVISE, REVISE_BOX, found.entry_index)
    form = RevisionForm(
        initial={"number": found.revision + 1},
        amendments=[view.amendment.entry_index for view in open_now],
    )
    labels = {p.eid: label(p) for p in queries.text_of(found)}
    context = {
        "document": found,
        "revisions": queries.revisions(found),
        "act": act,
        "form": form,
        "choices": [
            (
                view,
                labels.get(view.amendment.eid, view.amendment.eid),
                form[f"amendment_{view.amendment.entry_index}"],
            )
            for view in open_now
        ],
    }
    return render(request, "charter/revisions.html", context)


@require_POST
def revise(request: HttpRequest, document: int) -> HttpResponse:
    acting_person(request)
    found = _document(document)
    open_now = [view.amendment.entry_index for view in queries.amendments(found)]
    form = RevisionForm(request.POST, amendments=open_now)
    act = acts.REVISE

    def perform(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
        made = actions.revise(
            actor, document, incorporate=form.chosen(INCORPORATE), drop=form.chosen(DROP)
        )
        return {"accepted": [made]}

    shown_as = shown(act, REVISE_BOX, document)
    return act_from_form(request, form, perform, shown_as, act, {"document": document})


def _revision_number(value: str | None, default: int, last: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) > last:
        raise Http404(f"{value} is not a revision of this document")
    return int(value)


@dataclass(frozen=True)
class Brackets:
    """What changed in brackets between two revisions: amendments open at the end of the
    first and no longer at the end of the second (resolved), and the other way (added)."""

    resolved: list[queries.AmendmentView]
    added: list[queries.AmendmentView]


def _brackets_between(found: Document, first: int, second: int) -> Brackets:
    """Three queries for the amendments, one for the revisions."""
    issued = {revision.number: revision.entry_index for revision in queries.revisions(found)}
    every = queries.amendments(found, status=None)

    def open_at_end(number: int) -> set[int]:
        end = issued.get(number + 1)
        return {
            view.amendment.entry_index
            for view in every
            if (end is None or view.amendment.entry_index < end)
            and (
                view.amendment.closed_at is None
                or (end is not None and view.amendment.closed_at >= end)
            )
        }

    before, after = open_at_end(first), open_at_end(second)
    return Brackets(
        resolved=[view for view in every if view.amendment.entry_index in before - after],
        added=[view for view in every if view.amendment.entry_index in after - before],
    )


@require_safe
def revision_diff(request: HttpRequest, document: int) -> HttpResponse:
    """The changes between any two revisions (``?from=0&to=1``), provision by provision and
    word by word, and the brackets resolved or added between them."""
    found = _document(document)
    first = _revision_number(request.GET.get("from"), max(found.revision - 1, 0), found.revision)
    second = _revision_number(request.GET.get("to"), found.revision, found.revision)
    old, new = queries.text_of(found, first), queries.text_of(found, second)
    context = {
        "document": found,
        "first": first,
        "second": second,
        "numbers": range(found.revision + 1),
        "changes": charter_diff.revision_diff(old, new),
        "brackets": _brackets_between(found, first, second),
        "labels": {p.eid: label(p) for p in [*old, *new]},
    }
    return render(request, "charter/diff.html", context)


# -- silence --------------------------------------------------------------------------------------


def _procedure(entry: int) -> Any:
    found = queries.procedure(entry)
    if found is None:
        raise Http404(f"entry {entry} is not a silence procedure")
    return found


@require_safe
def procedure(request: HttpRequest, procedure: int) -> HttpResponse:
    """A silence procedure: its deadline, how long it still holds, the breaks with their
    reasons and counter-proposals, and the forms the reader may use."""
    found = _procedure(procedure)
    deadline = parse_time(found.until)
    now = clock.now()
    holding = found.status == "open" and now < deadline
    context = {
        "procedure": found,
        "document": _document(found.document),
        "remaining": remaining(deadline, now) if found.status == "open" else "",
        "breaks": queries.breaks(found.entry_index),
        "break_act": offered(request, acts.BREAK, BREAK_BOX, found.entry_index)
        if holding
        else None,
        "break_form": BreakForm(),
        "conclude_act": offered(request, acts.CONCLUDE, CONCLUDE_BOX, found.entry_index)
        if found.status == "open" and not holding
        else None,
        "decision": next((d for d in queries.decisions() if d.source == found.entry_index), None)
        if found.status == "adopted"
        else None,
    }
    return render(request, "charter/procedure.html", context)


@require_POST
def break_silence(request: HttpRequest, procedure: int) -> HttpResponse:
    acting_person(request)
    act = acts.BREAK
    shown_as = shown(act, BREAK_BOX, procedure)
    form = BreakForm(request.POST)
    return act_from_form(request, form, _declared(act), shown_as, act, {"procedure": procedure})


@require_POST
def conclude(request: HttpRequest, procedure: int) -> HttpResponse:
    acting_person(request)
    act = acts.CONCLUDE
    shown_as = shown(act, CONCLUDE_BOX, procedure)
    form = ConcludeForm(request.POST)

    def perform(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
        made = actions.conclude_silence(actor, procedure, data.get("outcome") or None)
        return {"accepted": [made]}

    return act_from_form(request, form, perform, shown_as, act, {"procedure": procedure})


# -- decisions ------------------------------------------------------------------------------------


@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    rows = queries.decisions()
    titles = {found.entry_index: found for found in queries.documents()}
    context = {"rows": [(row, titles.get(row.document)) for row in rows]}
    return render(request, "charter/decisions.html", context)


@require_safe
def decision(request: HttpRequest, decision: int) -> HttpResponse:
    """A decision: its symbol, the text adopted, who joined it, the interpretative statements
    attached, and the form for a party that joined it."""
    found = queries.decision(decision)
    if found is None:
        raise Http404(f"entry {decision} is not a decision")
    adopted = _document(found.document)
    person = person_of(request)
    joined = person is not None and person.party in found.joined
    context = {
        "decision": found,
        "document": adopted,
        "compilation": queries.compilation(adopted, revision=found.revision),
        "interpretations": queries.interpretations(found.entry_index),
        "act": offered(request, acts.INTERPRET, INTERPRET_BOX, found.entry_index)
        if joined
        else None,
        "form": InterpretForm(),
    }
    return render(request, "charter/decision.html", context)


@require_POST
def interpret(request: HttpRequest, decision: int) -> HttpResponse:
    acting_person(request)
    act = acts.INTERPRET
    shown_as = shown(act, INTERPRET_BOX, decision)
    form = InterpretForm(request.POST)
    return act_from_form(request, form, _declared(act), shown_as, act, {"decision": decision})
