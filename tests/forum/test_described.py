"""``forum.described``: the forum's name and purpose in each official language, from
FORUM.toml, the page, the API and the CLI; refused to other parties, to unofficial
languages and to incomplete descriptions, the log unchanged."""

import json
from typing import Any

import pytest
from django.test import Client
from typer.testing import CliRunner

from accord.cli.main import app
from accord.forum import actions, founding
from accord.forum.founding import FoundingError
from accord.forum.models import Forum, ForumDescription
from accord.ledger.digest import digest
from accord.ledger.models import Entry, LogState
from accord.ledger.replay import replay
from accord.people import actions as people_actions
from accord.people.models import Person
from tests.forum.world import AA_HEAD, BB_HEAD, FORUM_TOML, SECRETARIAT, ForumWorld, signed_in

pytestmark = pytest.mark.django_db

NAME = {"en": "Forum for Dialogue", "ru": "Форум для диалога"}
PURPOSE = {"en": "Talks on security.", "ru": "Переговоры о безопасности."}
DESCRIBED_TOML = FORUM_TOML.replace('name = "Forum for Dialogue"\n', "").replace(
    'chair = "AA"\n',
    'chair = "AA"\n\n[forum.name]\nen = "Forum for Dialogue"\nru = "Форум для диалога"\n\n'
    '[forum.purpose]\nen = "Talks on security."\nru = "Переговоры о безопасности."\n',
)


def described() -> dict[str, tuple[str, str]]:
    return {row.language: (row.name, row.purpose) for row in ForumDescription.objects.all()}


def test_the_secretariat_describes_the_forum_in_each_official_language(
    forum: ForumWorld,
) -> None:
    accepted = forum.act(lambda: actions.describe(SECRETARIAT, NAME, PURPOSE))
    assert described() == {"en": (NAME["en"], PURPOSE["en"]), "ru": (NAME["ru"], PURPOSE["ru"])}
    entry = Entry.objects.get(index=accepted.index)
    statement = json.loads(bytes(entry.leaf))["statement"]
    assert (statement["kind"], statement["actor"]) == ("forum.described", "secretariat")
    assert statement["body"] == {"name": NAME, "purpose": PURPOSE}
    assert Forum.objects.get().name == "Forum for Dialogue"  # the founding name stays


def test_the_chair_may_describe_it_and_a_new_description_replaces_the_last(
    forum: ForumWorld,
) -> None:
    forum.act(lambda: actions.describe(SECRETARIAT, NAME, PURPOSE))
    newer = {"en": "Dialogue.", "ru": "Диалог."}
    forum.act(lambda: actions.describe(AA_HEAD, NAME, newer))
    assert {language: text for language, (_n, text) in described().items()} == newer
    assert replay().full_digest == digest(full=True)  # the projection replays from the log
    assert described()["ru"] == (NAME["ru"], newer["ru"])


def test_another_party_cannot_say_what_the_forum_is_for(forum: ForumWorld) -> None:
    forum.refused("not_permitted", lambda: actions.describe(BB_HEAD, NAME, PURPOSE))
    assert described() == {}


def test_a_language_the_forum_does_not_speak_is_refused(forum: ForumWorld) -> None:
    refusal = forum.refused(
        "not_official",
        lambda: actions.describe(SECRETARIAT, {**NAME, "de": "Forum"}, PURPOSE),
    )
    assert "de" in str(refusal)


def test_a_description_that_leaves_out_an_official_language_is_refused(
    forum: ForumWorld,
) -> None:
    refusal = forum.refused(
        "missing_language",
        lambda: actions.describe(SECRETARIAT, NAME, {"en": PURPOSE["en"]}),
    )
    assert "ru" in str(refusal)


@pytest.mark.parametrize(
    ("name", "purpose"),
    [
        ({"en": "", "ru": "Форум"}, PURPOSE),
        (NAME, {"en": "x" * 2001, "ru": "x"}),
        ({"EN; drop": "x", "ru": "y"}, PURPOSE),
    ],
    ids=["an empty name", "an overlong purpose", "a junk language tag"],
)
def test_a_junk_body_is_refused_before_it_reaches_the_log(
    forum: ForumWorld, name: dict[str, str], purpose: dict[str, str]
) -> None:
    forum.refused("bad_body", lambda: actions.describe(SECRETARIAT, name, purpose))


def test_founding_from_a_file_with_name_and_purpose_describes_the_forum_at_once(
    db: None,
) -> None:
    accepted = actions.found_forum(founding.parse(DESCRIBED_TOML))
    kinds = [one.statement.kind for one in accepted]
    assert kinds.index("forum.described") == kinds.index("forum.founded") + 1
    assert Forum.objects.get().name == "Forum for Dialogue"  # the first language's
    assert described()["ru"] == (NAME["ru"], PURPOSE["ru"])


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (('ru = "Переговоры о безопасности."', 'de = "Gespräche."'), "purpose.de"),
        (('ru = "Форум для диалога"\n', ""), "name: give it in every official language"),
        (("[forum.purpose]\n", "[forum.unused]\n"), "forum.unused"),
    ],
    ids=["an unofficial language", "a missing language", "an unknown key"],
)
def test_forum_toml_refuses_a_name_or_purpose_not_in_the_official_languages(
    change: tuple[str, str], named: str
) -> None:
    with pytest.raises(FoundingError, match=named.replace(".", r"\.")):
        founding.parse(DESCRIBED_TOML.replace(*change))


def test_a_file_without_a_purpose_founds_the_forum_undescribed(db: None) -> None:
    accepted = actions.found_forum(founding.parse(FORUM_TOML))
    assert "forum.described" not in [one.statement.kind for one in accepted]
    assert described() == {}


def _api(client: Client, handle: str, body: dict[str, Any]) -> Any:
    bearer = people_actions.issue_api_token(
        Person.objects.get(handle=handle), "tests", second_factor=True
    )
    return client.post(
        "/api/v1/forum/description",
        json.dumps(body),
        content_type="application/json",
        headers={"authorization": f"Bearer {bearer}"},
    )


def test_the_api_describes_for_the_chair_and_refuses_another_party(
    forum: ForumWorld, client: Client
) -> None:
    size = LogState.objects.get().size
    refused = forum.act(lambda: _api(client, "bb.head", {"name": NAME, "purpose": PURPOSE}))
    assert refused.status_code == 403
    assert LogState.objects.get().size == size
    answer = forum.act(lambda: _api(client, "aa.head", {"name": NAME, "purpose": PURPOSE}))
    assert answer.status_code == 201
    assert described()["en"] == (NAME["en"], PURPOSE["en"])


def test_the_page_offers_the_form_to_staff_and_not_to_a_delegate(forum: ForumWorld) -> None:
    assert "describe-form" in signed_in("sec.clerk").get("/description").content.decode()
    assert "describe-form" not in signed_in("bb.head").get("/description").content.decode()
    posted = forum.act(
        lambda: signed_in("sec.clerk").post(
            "/description", {"name": json.dumps(NAME), "purpose": json.dumps(PURPOSE)}
        )
    )
    assert posted.status_code == 200
    assert described()["ru"] == (NAME["ru"], PURPOSE["ru"])


def test_the_command_takes_each_language_as_lang_equals_text(forum: ForumWorld) -> None:
    result = forum.act(
        lambda: CliRunner().invoke(
            app,
            [
                "forum",
                "describe",
                "--as",
                "secretariat",
                "--person",
                "sec.clerk",
                *("--name", "en=Forum for Dialogue", "--name", "ru=Форум для диалога"),
                *("--purpose", "en=Talks.", "--purpose", "ru=Переговоры."),
            ],
        )
    )
    assert result.exit_code == 0, result.output
    assert described()["en"] == (NAME["en"], "Talks.")
    malformed = CliRunner().invoke(
        app, ["forum", "describe", "--name", "Forum", "--purpose", "en=x"]
    )
    assert malformed.exit_code == 1
    assert "LANG=TEXT" in malformed.output
