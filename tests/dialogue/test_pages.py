"""The conference's read pages: each renders for anyone, shows parties by name and times in
the edition's zone, offers a form only to whom the rules grant the act, takes its act's POST
through the real actions, escapes every text, and speaks Russian."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.dialogue import actions
from accord.dialogue.models import (
    AgendaItem,
    Delegation,
    DeliveredStatement,
    Edition,
    FollowUp,
    Inscription,
    Meeting,
    SpeakersList,
    Summary,
)
from accord.ledger.models import LogState
from accord.lib import clock
from tests.dialogue.world import AA_HEAD, BB_HEAD, SECRETARIAT, ConferenceWorld
from tests.forum.world import signed_in

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def _get(w: ConferenceWorld, client: Client, path: str, **kw: Any) -> Any:
    with clock.simulated(w.forum.ticking):
        return client.get(path, **kw)


def _post(w: ConferenceWorld, client: Client, path: str, data: dict[str, Any], **kw: Any) -> Any:
    with clock.simulated(w.forum.ticking):
        return client.post(path, data, **kw)


def _did(w: ConferenceWorld, action: Callable[[], Any]) -> Any:
    """An act on the world's clock (the world's own ``act``, typed)."""
    return w.charter.forum.act(action)


def _size() -> int:
    return LogState.objects.get().size


def _pages(w: ConferenceWorld) -> list[str]:
    return [
        reverse("conference-editions"),
        reverse("conference-edition", args=[w.edition]),
        reverse("conference-participants", args=[w.edition]),
        reverse("conference-meeting", args=[w.opening]),
        reverse("conference-room", args=[w.opening]),
        reverse("conference-room-poll", args=[w.opening]),
        reverse("conference-projector", args=[w.opening]),
        reverse("conference-journal", args=[w.opening]),
        reverse("conference-day", args=["2025-10-30"]),
    ]


def test_every_read_page_opens_without_signing_in(
    conference: ConferenceWorld, client: Client
) -> None:
    for path in _pages(conference):
        assert _get(conference, client, path).status_code == 200, path


def test_the_conference_is_two_links_from_the_forum_home(
    conference: ConferenceWorld, client: Client
) -> None:
    home = client.get(reverse("forum-home")).content.decode()
    assert f'href="{reverse("conference-editions")}"' in home
    listing = client.get(reverse("conference-editions")).content.decode()
    assert f'href="{reverse("conference-edition", args=[conference.edition])}"' in listing
    for name in ("conference-meeting", "conference-room", "conference-journal"):
        assert f'href="{reverse(name, args=[conference.working])}"' in listing
    assert f'href="{reverse("conference-day", args=["2025-10-30"])}"' in listing
    assert f'href="{reverse("conference-participants", args=[conference.edition])}"' in listing


def test_the_edition_page_shows_dates_zone_chair_by_name_agenda_and_meetings(
    conference: ConferenceWorld, client: Client
) -> None:
    page = _get(conference, client, reverse("conference-edition", args=[conference.edition]))
    text = page.content.decode()
    assert "Europe/Minsk" in text
    assert "State A" in text  # the chair by name
    assert "Principles" in text
    assert "Opening plenary" in text
    assert "30 October 2025, 10:00 (Europe/Minsk)" in text
    assert "30 October 2025, 07:00 (UTC)" in text
    assert "working group" in text
    assert "State A" in text


def test_a_summary_carries_the_chairs_own_responsibility_mark(
    conference: ConferenceWorld, client: Client
) -> None:
    w = conference
    _did(
        w,
        lambda: actions.issue_summary(AA_HEAD, w.edition, title=SCRIPT, language="en", text=SCRIPT),
    )
    assert Summary.objects.count() == 1
    text = _get(w, client, reverse("conference-edition", args=[w.edition])).content.decode()
    assert (
        "Issued under the chair's own responsibility — not agreed by the participating parties"
        in text
    )
    assert SCRIPT not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    russian = _get(
        w, client, reverse("conference-edition", args=[w.edition]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert "под собственную ответственность председателя" in russian.content.decode()


def test_participants_by_standing_with_levels_and_credentials(
    conference: ConferenceWorld, client: Client
) -> None:
    text = _get(
        conference, client, reverse("conference-participants", args=[conference.edition])
    ).content.decode()
    assert text.index("State A") < text.index("State B")
    assert "aa.head" in text
    assert "minister" in text
    assert "head of government" in text
    assert "note verbale" in text
    assert "accepted" in text
    assert "provisional" in text


def test_forms_appear_only_for_whom_the_rules_grant_them(conference: ConferenceWorld) -> None:
    w = conference
    meeting = reverse("conference-meeting", args=[w.opening])
    chair = _get(w, signed_in("aa.head"), meeting).content.decode()
    anonymous = _get(w, Client(), meeting).content.decode()
    assert reverse("conference-speakers-open", args=[w.opening]) in chair
    assert reverse("conference-speakers-open", args=[w.opening]) not in anonymous
    bb = _get(w, signed_in("bb.head"), meeting).content.decode()
    assert reverse("conference-speakers-inscribe", args=[w.opening]) in bb
    assert reverse("conference-speakers-open", args=[w.opening]) not in bb


def test_the_chair_opens_a_list_and_a_delegate_inscribes_through_the_pages(
    conference: ConferenceWorld,
) -> None:
    w = conference
    chair, bb = signed_in("aa.head"), signed_in("bb.head")
    opened = _post(
        w,
        chair,
        reverse("conference-speakers-open", args=[w.opening]),
        {"item": "2", "seconds": "180"},
    )
    assert opened.status_code == 200
    assert SpeakersList.objects.filter(meeting=w.opening, item="2").exists()
    done = _post(
        w,
        bb,
        reverse("conference-speakers-inscribe", args=[w.opening]),
        {"item": "2", "speaker": "bb.head"},
    )
    assert done.status_code == 200
    assert "State B" in done.content.decode()
    assert Inscription.objects.filter(party="BB").count() == 1


def test_a_refusal_speaks_the_acts_sentence_and_leaves_the_log(conference: ConferenceWorld) -> None:
    w = conference
    size = _size()
    refused = _post(
        w,
        signed_in("bb.head"),
        reverse("conference-speakers-inscribe", args=[w.opening]),
        {"item": "2", "speaker": "bb.head"},
    )
    assert refused.status_code == 422
    assert (
        "No speakers&#x27; list was opened for this item in this meeting."
        in refused.content.decode()
    )
    assert _size() == size
    russian = _post(
        w,
        signed_in("bb.head"),
        reverse("conference-speakers-inscribe", args=[w.opening]),
        {"item": "2", "speaker": "bb.head"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert "Список ораторов" in russian.content.decode()


def test_an_act_that_cannot_be_undone_asks_to_confirm(conference: ConferenceWorld) -> None:
    w = conference
    size = _size()
    answer = _post(
        w, signed_in("sec.clerk"), reverse("conference-journal-issue", args=[w.opening]), {}
    )
    assert answer.status_code == 400
    assert _size() == size
    issued = _post(
        w,
        signed_in("sec.clerk"),
        reverse("conference-journal-issue", args=[w.opening]),
        {"confirm": "on"},
    )
    assert issued.status_code == 200
    assert _size() == size + 1
    text = _get(w, Client(), reverse("conference-journal", args=[w.opening])).content.decode()
    assert "Issued by the secretariat" in text
    assert "Not yet issued" not in text


def test_the_journal_is_not_yet_issued_until_the_secretariat_issues_it(
    conference: ConferenceWorld, client: Client
) -> None:
    text = _get(
        conference, client, reverse("conference-journal", args=[conference.opening])
    ).content.decode()
    assert "Not yet issued" in text


def test_a_journal_issued_then_outgrown_says_the_page_is_the_log_as_it_stands(
    conference: ConferenceWorld, client: Client
) -> None:
    w = conference
    path = reverse("conference-journal", args=[w.opening])
    _did(w, lambda: actions.open_list(AA_HEAD, w.opening, "2"))
    _did(w, lambda: actions.inscribe(BB_HEAD, w.opening, "2", speaker="bb.head"))
    _did(w, lambda: actions.give_floor(AA_HEAD, w.opening, "2"))
    _did(w, lambda: actions.issue_journal(SECRETARIAT, w.opening))
    issued = _get(w, client, path).content.decode()
    assert "Issued by the secretariat" in issued
    assert "since the journal was issued" not in issued
    _did(w, lambda: actions.inscribe(AA_HEAD, w.opening, "2", speaker="aa.head"))
    _did(w, lambda: actions.give_floor(AA_HEAD, w.opening, "2"))
    outgrown = _get(w, client, path).content.decode()
    assert "since the journal was issued" in outgrown


def test_the_day_shows_every_meeting_its_room_and_whether_it_is_open(
    conference: ConferenceWorld, client: Client
) -> None:
    w = conference
    text = _get(w, client, reverse("conference-day", args=["2025-10-30"])).content.decode()
    assert "Room A" in text
    assert "Room B" in text
    assert "10:00" in text
    assert text.count(">open meeting<") == 2
    assert (
        "No meeting that day"
        in _get(w, client, reverse("conference-day", args=["2025-11-05"])).content.decode()
    )


def test_the_meeting_shows_the_question_objections_and_links_the_decision(
    conference: ConferenceWorld, client: Client
) -> None:
    w = conference
    m = w.opening
    agreed = "Agreed by the participating parties: adopted by consensus"
    asked = _did(w, lambda: actions.ask(AA_HEAD, m, "2", document=w.document, revision=0))
    pending = _get(w, client, reverse("conference-meeting", args=[m])).content.decode()
    assert agreed not in pending  # asked is not agreed
    w.later(11)
    _did(w, lambda: actions.declare(AA_HEAD, asked.index))
    text = _get(w, client, reverse("conference-meeting", args=[m])).content.decode()
    assert "adopted" in text
    assert agreed in text
    from accord.dialogue.models import Question  # noqa: PLC0415

    decision = Question.objects.get().decision
    assert decision is not None
    assert reverse("charter-decision", args=[decision]) in text


def test_scripts_render_inert_in_statements_reasons_and_evidence(
    conference: ConferenceWorld, client: Client
) -> None:
    w = conference
    m = w.opening
    _did(w, lambda: actions.open_list(AA_HEAD, m, "2"))
    _did(w, lambda: actions.inscribe(BB_HEAD, m, "2", speaker="bb.head"))
    _did(w, lambda: actions.give_floor(AA_HEAD, m, "2"))
    made = _did(
        w,
        lambda: actions.circulate_and_deliver(
            BB_HEAD, m, "2", title=SCRIPT, language="en", text=SCRIPT
        ),
    )
    asked = _did(w, lambda: actions.ask(AA_HEAD, m, "2", document=w.document, revision=0))
    _did(w, lambda: actions.object_to(BB_HEAD, asked.index, reason=SCRIPT))
    followup = _did(
        w,
        lambda: actions.record_followup(
            AA_HEAD, w.edition, category="commitment", text=SCRIPT, owner="BB"
        ),
    )
    _did(
        w, lambda: actions.update_followup(BB_HEAD, followup.index, status="done", evidence=SCRIPT)
    )
    for path in [
        *_pages(w),
        reverse("conference-statement", args=[made[1].index]),
    ]:
        text = _get(w, client, path).content.decode()
        assert SCRIPT not in text, path
    statement = _get(
        w, client, reverse("conference-statement", args=[made[1].index])
    ).content.decode()
    assert "&lt;script&gt;" in statement
    assert "Check against delivery" in statement
    assert (
        "&lt;script&gt;"
        in _get(w, client, reverse("conference-edition", args=[w.edition])).content.decode()
    )


def test_russian_pages_say_nothing_in_english(conference: ConferenceWorld, client: Client) -> None:
    from tests.test_translations import (  # noqa: PLC0415
        _english_left,
        _interface_strings,
        _visible_text,
    )

    data = ["First Conference", "Conference for Dialogue", "Opening plenary", "Minsk"]
    data += ["Working group on confidence-building", "Palace of Independence", "Room A"]
    data += ["Room B", "Opening of the conference", "Charter", "Principles", "Draft Charter"]
    data += ["The credentials of State A are in order.", "State A", "State B", "State C"]
    strings = _interface_strings()
    failures = []
    for visitor in (client, signed_in("aa.head"), signed_in("bb.head")):
        for path in _pages(conference):
            page = _get(conference, visitor, path, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
            assert '<html lang="ru">' in page or "<html" not in page
            left = _english_left(_visible_text(page, data), strings)
            failures += [f"{path}: {left}"] if left else []
    assert failures == []


def test_a_missing_thing_is_not_found(conference: ConferenceWorld, client: Client) -> None:
    for name in (
        "conference-edition",
        "conference-meeting",
        "conference-statement",
        "conference-journal",
    ):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert Meeting.objects.count() == 2


def test_the_chairs_forms_make_the_acts_they_say(conference: ConferenceWorld) -> None:
    w = conference
    chair = signed_in("aa.head")
    created = _post(
        w,
        chair,
        reverse("conference-create"),
        {
            "series": "second",
            "series_title": "Second series",
            "title": "Second Conference",
            "city": "Astana",
            "time_zone": "Asia/Almaty",
            "starts_on": "2025-12-01",
            "ends_on": "2025-12-02",
            "chair": "AA",
            "languages": "en, ru",
        },
    )
    assert created.status_code == 200
    second = Edition.objects.get(series="second")
    assert second.languages == ["en", "ru"]
    added = _post(
        w,
        chair,
        reverse("conference-meeting-add", args=[second.entry_index]),
        {
            "title": "Plenary",
            "starts_at": "2025-12-01T05:00",
            "ends_at": "2025-12-01T08:00",
            "room": "Hall",
            "format": "closed",
            "record": "none",
            "languages": "en",
            "interpretation": "",
        },
    )
    assert added.status_code == 200
    assert Meeting.objects.get(edition=second.entry_index).starts_at == "2025-12-01T05:00:00Z"
    items = f"1 | Opening\n2 | Substance | {w.document}\n2.1 | Detail"
    proposed = _post(
        w,
        chair,
        reverse("conference-agenda-propose", args=[second.entry_index]),
        {"items": items},
    )
    assert proposed.status_code == 200
    numbers = AgendaItem.objects.filter(edition=second.entry_index).values_list("number", "parent")
    assert list(numbers.order_by("position")) == [("1", ""), ("2", ""), ("2.1", "2")]
    assert AgendaItem.objects.get(edition=second.entry_index, number="2").documents == [w.document]
    named = _post(
        w,
        signed_in("bb.head"),
        reverse("conference-delegation", args=[second.entry_index]),
        {"handle_1": "bb.head", "function_1": "head", "level_1": "minister"},
    )
    assert named.status_code == 200
    members = Delegation.objects.get(edition=second.entry_index, party="BB").members
    assert [(m["handle"], m["level"]) for m in members] == [("bb.head", "minister")]
    text = _get(w, Client(), reverse("conference-day", args=["2025-12-01"])).content.decode()
    assert ">closed meeting<" in text


def test_follow_up_is_recorded_and_reported_through_the_pages(conference: ConferenceWorld) -> None:
    w = conference
    recorded = _post(
        w,
        signed_in("aa.head"),
        reverse("conference-followup-record", args=[w.edition]),
        {"category": "recommendation", "text": "Hold a seminar.", "owner": "BB"},
    )
    assert recorded.status_code == 200
    followup = FollowUp.objects.get()
    reported = _post(
        w,
        signed_in("bb.head"),
        reverse("conference-followup-update", args=[followup.entry_index]),
        {"status": "in_progress", "evidence": "Dates proposed."},
    )
    assert reported.status_code == 200
    text = _get(w, Client(), reverse("conference-edition", args=[w.edition])).content.decode()
    assert "Dates proposed." in text
    assert "in progress" in text


def test_the_pages_link_every_download_and_each_answers(
    conference: ConferenceWorld, client: Client
) -> None:
    """The calendars, the journal, a statement and the list of participants are a link away
    from their pages, and every link answers 200."""
    w = conference
    _did(w, lambda: actions.open_list(AA_HEAD, w.opening, "2"))
    _did(
        w,
        lambda: actions.circulate_and_deliver(
            BB_HEAD, w.opening, "2", title="On the Charter", language="en", text="We welcome it."
        ),
    )
    statement = DeliveredStatement.objects.get().entry_index
    pages = {
        reverse("conference-edition", args=[w.edition]): [
            reverse("conference-edition-ics", args=[w.edition]),
            reverse("conference-meeting-ics", args=[w.opening]),
        ],
        reverse("conference-participants", args=[w.edition]): [
            reverse("conference-participants-export", args=[w.edition, fmt])
            for fmt in ("pdf", "csv")
        ],
        reverse("conference-journal", args=[w.opening]): [
            reverse("conference-journal-export", args=[w.opening, fmt])
            for fmt in ("pdf", "docx", "txt")
        ],
        reverse("conference-statement", args=[statement]): [
            reverse("conference-statement-export", args=[statement, fmt]) for fmt in ("pdf", "docx")
        ],
    }
    for page, links in pages.items():
        text = _get(w, client, page).content.decode()
        for link in links:
            assert f'href="{link}"' in text, (page, link)
            assert _get(w, client, link).status_code == 200, link


def test_interpretation_is_named_in_the_readers_language(
    conference: ConferenceWorld, client: Client
) -> None:
    path = reverse("conference-meeting", args=[conference.opening])
    english = _get(conference, client, path).content.decode()
    assert "interpretation: English and Russian; Russian and English." in english
    russian = _get(conference, client, path, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "английский и русский; русский и английский." in russian
    assert "en-ru" not in russian
