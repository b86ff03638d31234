"""Every declared act reaches every surface: a page, an API route, a CLI command, the docs and
the Russian catalogue. The test walks the registry, so a new act that lacks one fails here."""

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from django.test import Client
from django.urls import get_resolver
from typer.core import TyperGroup

from accord.api import api
from accord.cli.main import app
from accord.forum import acts as forum_acts
from accord.front.refusals import sentence
from accord.ledger.acts import ACTS, Act
from accord.ledger.errors import Rejected
from accord.ledger.models import LogState
from tests.forum.world import ForumWorld
from tests.test_translations import catalogue

ROOT = Path(__file__).resolve().parents[2]
DECLARED = sorted(ACTS.values(), key=lambda act: act.kind)
HOST_ONLY = {"forum.person.added"}
"""Acts only the host's own tools make: adding a person keeps their name and e-mail on the
host, so no own key signs it from elsewhere."""


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            found |= _commands(command, f"{prefix}{name} ")
        else:
            found[prefix + name] = command
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_the_forum_declares_an_act_for_each_of_its_kinds_but_the_founding() -> None:
    from accord.ledger.registry import KINDS  # noqa: PLC0415

    forum_kinds = {kind for kind, _v in KINDS if kind.startswith("forum.")}
    assert {act.kind for act in forum_acts.FORUM_ACTS} == forum_kinds - {"forum.founded"}


@pytest.mark.django_db
@pytest.mark.parametrize("act", DECLARED, ids=lambda act: act.kind)
def test_every_act_has_a_page_that_takes_its_post_from_signed_in_people_only(
    act: Act, forum: ForumWorld, client: Client
) -> None:
    (route, parameters), *_ = get_resolver().reverse_dict.getlist(act.page)[0][0]
    samples = {"entry": forum.invitation_to_cc, "handle": "aa.adviser"}
    path = "/" + route % {name: samples.get(name, 1) for name in parameters}
    size = LogState.objects.get().size
    assert client.post(path, {}).status_code == 403  # the page exists, and wants a person
    assert LogState.objects.get().size == size


@pytest.mark.parametrize("act", DECLARED, ids=lambda act: act.kind)
def test_every_act_has_an_api_route_whose_schema_covers_its_body(act: Act) -> None:
    method, path = act.api.split(" ", 1)
    document = api.get_openapi_schema()
    operation = document["paths"][f"/api/v1{path}"][method.lower()]
    named = {parameter["name"] for parameter in operation.get("parameters", [])}
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    reference = body.get("schema", {}).get("$ref", "")
    if reference:
        schema = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]
        named |= set(schema.get("properties", {}))
    assert set(act.body.model_fields) <= named
    assert {str(status) for status in operation["responses"]} >= {"201", "403", "422"}


@pytest.mark.parametrize("act", DECLARED, ids=lambda act: act.kind)
def test_every_act_has_a_cli_command_that_acts_every_way(act: Act) -> None:
    assert act.cli in COMMANDS
    options = {opt for param in COMMANDS[act.cli].params for opt in param.opts}
    if act.kind not in HOST_ONLY:
        assert {"--as", "--person", "--url", "--key", "--log-key", "--dry-run"} <= options
    arguments = [p.name for p in COMMANDS[act.cli].params if p.param_type_name == "argument"]
    assert len(arguments) == len(act.positional)


@pytest.mark.parametrize("act", DECLARED, ids=lambda act: act.kind)
def test_every_act_is_documented(act: Act) -> None:
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    kinds = (ROOT / "docs" / f"{act.kind.split('.')[0]}.md").read_text(encoding="utf-8")
    assert f"## accord {act.cli}\n" in cli
    assert f"### {act.kind} v{act.v}\n" in kinds
    assert act.api.split(" ", 1)[1] in kinds


@pytest.mark.parametrize("act", DECLARED, ids=lambda act: act.kind)
def test_every_act_speaks_russian_its_title_its_done_sentence_and_its_refusals(act: Act) -> None:
    russian = catalogue()
    sentences = [act.title, act.done, *act.refusals.values()]
    assert [str(s) for s in sentences if not russian.get(str(s).replace('"', '\\"'))] == []


@pytest.mark.parametrize("act", DECLARED, ids=lambda act: act.kind)
def test_every_done_sentence_names_only_the_body_and_the_actor(act: Act) -> None:
    named = set(re.findall(r"%\((\w+)\)s", str(act.done)))
    assert named <= {*act.body.model_fields, "actor"}
    sample = {name: f"<{name}>" for name in act.body.model_fields}
    assert "<actor>" in act.describe("<actor>", sample)


def _codes(act: Act) -> set[str]:
    """The refusal codes the act's kind raises in its own check (and helpers it names)."""
    source = inspect.getsource(act.body)
    return set(re.findall(r'NotAllowed\((?:[^()]|\([^()]*\))*?,\s*"([a-z_]+)",?\s*\)', source))


@pytest.mark.parametrize("act", DECLARED, ids=lambda act: act.kind)
def test_every_refusal_an_act_can_meet_reads_as_a_translated_sentence(act: Act) -> None:
    untranslated = [
        code
        for code in _codes(act) | {"not_permitted", "not_your_party", "unknown_person"}
        if sentence(Rejected("the log's reason", code), act) == "the log's reason"
    ]
    assert untranslated == []
