"""The CSBM pages: each renders for anyone and in Russian, names parties by name, sends every
act through its declaration (a notification from its form, an acknowledgement, a closing, a
missed deadline, a webhook), explains each deadline with the rule that set it, checks the
thresholds as forces are typed, counts quotas, and escapes every text."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accord.csbm import actions
from accord.csbm.models import Case, Delivery, Missed, Notification, Sealed, Webhook
from accord.csbm.rules import rules_at
from accord.csbm.templatetags.csbm_words import period
from accord.ledger.models import LogState, Party
from accord.lib import clock
from accord.people.models import Person
from tests.csbm.world import AA_HEAD, BB_HEAD, CsbmWorld
from tests.forum.world import signed_in
from tests.test_translations import _english_left, _interface_strings, _visible_text

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def _get(w: CsbmWorld, client: Client, path: str, **kw: Any) -> Any:
    with clock.simulated(w.forum.ticking):
        return client.get(path, **kw)


def _post(w: CsbmWorld, client: Client, path: str, data: dict[str, Any], **kw: Any) -> Any:
    with clock.simulated(w.forum.ticking):
        return client.post(path, data, **kw)


def _size() -> int:
    return LogState.objects.get().size


def _prior_form(w: CsbmWorld, **changes: Any) -> dict[str, Any]:
    """What a delegate types in the prior notification's form."""
    typed = {
        "format": "prior-notification",
        "designation": "Union Shield",
        "purpose": "A command-post and field exercise.",
        "kind": "land_exercise",
        "states_involved": ["AA"],
        "command_level": "Army",
        "starts_on": w.day(60),
        "ends_on": w.day(70),
        "forces_troops": "12000",
        "forces_battle_tanks": "180",
        "area": "Training ranges north of the capital",
        "coordinates": '[{"lat": "53.9", "lon": "27.5"}]',
    }
    return typed | changes


def _consultation(w: CsbmWorld) -> int:
    return w.notify(
        AA_HEAD,
        "clarification-request",
        {
            "requested_state": "BB",
            "activity": "Troop movements",
            "location": "The border region",
            "reasons": "Forces gathered without notification.",
        },
    )


def _all_pages(w: CsbmWorld, entry: int) -> list[str]:
    return [
        reverse("csbm-inbox"),
        reverse("csbm-inbox") + "?all=1",
        reverse("csbm-inbox") + "?overdue=1",
        reverse("csbm-outbox"),
        reverse("csbm-notification", args=[entry]),
        reverse("csbm-notify"),
        *(reverse("csbm-notify") + f"?format={name}" for name in _formats()),
        reverse("csbm-threshold") + "?troops=12000&starts_on=" + w.day(60),
        reverse("csbm-consultations"),
        reverse("csbm-inspections"),
        reverse("csbm-compliance", args=[w.today().year]),
        reverse("csbm-webhook"),
    ]


def _formats() -> list[str]:
    from accord.csbm.formats import FORMATS  # noqa: PLC0415

    return sorted(FORMATS)


def test_every_page_renders_for_anyone_and_for_a_delegate(csbm: CsbmWorld) -> None:
    entry = _consultation(csbm)
    for client in (Client(), signed_in("aa.head"), signed_in("bb.head"), signed_in("sec.clerk")):
        for path in _all_pages(csbm, entry):
            answer = _get(csbm, client, path)
            assert answer.status_code == 200, path
        for path in (reverse("csbm-inbox") + "?all=1", reverse("csbm-consultations")):
            assert "State A" in _get(csbm, client, path).content.decode(), path


def test_no_russian_page_shows_english_from_the_interface(csbm: CsbmWorld) -> None:
    entry = _consultation(csbm)
    csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    data = [
        *Party.objects.values_list("name", flat=True),
        *Person.objects.values_list("handle", flat=True),
        "Forum for Dialogue",
        "Troop movements",
        "The border region",
        "Forces gathered without notification.",
    ]
    strings = _interface_strings()
    failures = []
    for client in (Client(), signed_in("aa.head"), signed_in("bb.head")):
        for path in _all_pages(csbm, entry):
            page = _get(csbm, client, path, headers={"accept-language": "ru"}).content.decode()
            assert '<html lang="ru">' in page, path
            left = _english_left(_visible_text(page, data), strings)
            failures += [f"{path}: {left}"] if left else []
    assert failures == []
    english = _get(csbm, signed_in("aa.head"), reverse("csbm-notification", args=[entry]))
    assert "Public facts" in _english_left(_visible_text(english.content.decode(), data), strings)


def test_a_delegate_sends_a_prior_notification_from_its_form(csbm: CsbmWorld) -> None:
    head = signed_in("aa.head")
    page = _get(csbm, head, reverse("csbm-notify") + "?format=prior-notification").content
    assert b'name="forces_troops"' in page
    assert b'hx-get="/csbm/threshold/"' in page
    assert b"VD2011 \xc2\xa741.1" in page or "§41.1".encode() in page
    answer = _post(csbm, head, reverse("csbm-notify"), _prior_form(csbm))
    assert answer.status_code == 200, answer.content.decode()
    sent = Notification.objects.get(format="prior-notification")
    assert sent.recipients == ["BB", "DD"]
    payload = Sealed.objects.get(entry_index=sent.content).payload
    assert payload is not None
    assert payload["forces"] == {"troops": 12000, "battle_tanks": 180}
    assert payload["coordinates"] == [{"lat": "53.9", "lon": "27.5"}]
    shown = answer.content.decode()
    assert "State A sent a notification (Prior notification of a military activity)" in shown
    assert reverse("csbm-notification", args=[sent.entry_index]) in shown


def test_a_bad_list_or_figure_is_named_beside_its_field_and_nothing_is_written(
    csbm: CsbmWorld,
) -> None:
    head = signed_in("aa.head")
    size = _size()
    bad_json = _post(csbm, head, reverse("csbm-notify"), _prior_form(csbm, coordinates="[{"))
    assert bad_json.status_code == 400
    assert "This is not JSON" in bad_json.content.decode()
    off_globe = _prior_form(csbm, coordinates='[{"lat": "95", "lon": "27"}]')
    answer = _post(csbm, head, reverse("csbm-notify"), off_globe)
    assert answer.status_code == 400
    assert "Geographic coordinates" in answer.content.decode()
    below = _post(csbm, head, reverse("csbm-notify"), _prior_form(csbm, forces_troops="100"))
    assert below.status_code == 422
    assert "below every threshold" in below.content.decode()
    assert _size() == size


def test_the_threshold_check_answers_as_forces_are_typed(csbm: CsbmWorld) -> None:
    path = reverse("csbm-threshold")
    start = csbm.day(60)
    below = _get(
        csbm, Client(), f"{path}?forces_troops=8999&starts_on={start}", HTTP_HX_REQUEST="1"
    )
    assert below.status_code == 200
    assert "not notifiable" in below.content.decode()
    assert "<html" not in below.content.decode()  # the partial alone
    above = _get(
        csbm, Client(), f"{path}?forces_troops=9000&starts_on={start}", HTTP_HX_REQUEST="1"
    )
    text = above.content.decode()
    assert ">notifiable<" in text
    assert "Notify by" in text
    notify_by = csbm.today() + timedelta(days=60 - 42)
    assert f"{notify_by.day} {notify_by:%B} {notify_by.year}" in text  # as people write dates
    assert "VD2011 §38.1.2.1 [S]" in text
    observed = _get(csbm, Client(), f"{path}?troops=14000").content.decode()
    assert "observers required" in observed
    assert "<html" in observed
    absurd = _get(csbm, Client(), f"{path}?troops=-4", HTTP_HX_REQUEST="1").content.decode()
    assert "errorlist" in absurd


def test_a_recipient_sees_the_badge_acknowledges_and_the_sender_sees_the_grid_fill(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general(text=SCRIPT))
    bb = signed_in("bb.head")
    inbox = _get(csbm, bb, reverse("csbm-inbox")).content.decode()
    assert "acknowledgement due in" in inbox
    assert "General communication" in inbox
    assert "State A" in inbox
    assert "No acknowledgement is overdue." in _get(csbm, bb, "/csbm/?overdue=1").content.decode()
    page = _get(csbm, bb, reverse("csbm-notification", args=[entry])).content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page
    assert reverse("csbm-acknowledge", args=[entry]) in page
    answer = _post(csbm, bb, reverse("csbm-acknowledge", args=[entry]), {})
    assert answer.status_code == 200
    assert "State B acknowledged notification" in answer.content.decode()
    assert Delivery.objects.get(notification=entry, recipient="BB").ack_on_time is True
    again = _post(csbm, bb, reverse("csbm-acknowledge", args=[entry]), {})
    assert again.status_code == 422
    assert "acknowledged this notification already" in again.content.decode()
    grid = _get(csbm, signed_in("aa.head"), reverse("csbm-notification", args=[entry]))
    text = grid.content.decode()
    assert "acknowledged on time" in text
    assert "acknowledgement due in" in text
    outbox = _get(csbm, signed_in("aa.head"), reverse("csbm-outbox")).content.decode()
    assert "1 of 2 recipients acknowledged" in outbox


def test_an_overdue_acknowledgement_is_badged_filtered_and_recorded_by_the_secretariat(
    csbm: CsbmWorld,
) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    csbm.later(24 * 7)
    bb = signed_in("bb.head")
    overdue = _get(csbm, bb, "/csbm/?overdue=1").content.decode()
    assert "acknowledgement overdue" in overdue
    page = _get(csbm, signed_in("sec.clerk"), reverse("csbm-notification", args=[entry]))
    assert reverse("csbm-missed", args=[entry]) in page.content.decode()
    answer = _post(
        csbm,
        signed_in("sec.clerk"),
        reverse("csbm-missed", args=[entry]),
        {"party": "BB", "what": "acknowledgement"},
    )
    assert answer.status_code == 200, answer.content.decode()
    assert Missed.objects.get(notification=entry, party="BB").what == "acknowledgement"
    assert "State B missed the acknowledgement" in answer.content.decode()
    refused = _post(
        csbm, bb, reverse("csbm-missed", args=[entry]), {"party": "DD", "what": "reply"}
    )
    assert refused.status_code == 422


def test_a_missed_deadline_is_worded_from_its_profile_in_the_readers_language(
    csbm: CsbmWorld,
) -> None:
    """The conclusion keeps its rule in the log's English ("48 hours (VD2011 …)"); a Russian
    page says the same rule in Russian, from the profile version the conclusion kept."""
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    csbm.later(24 * 7)
    csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment))
    stored = Missed.objects.get(notification=entry, party="BB")
    within = rules_at(stored.profile_version).acknowledgement.within
    words = stored.rule.split(" (")[0]  # "2 working days", as the log keeps it
    with translation.override("ru"):
        in_russian = period(within)
    assert in_russian != words
    path = reverse("csbm-notification", args=[entry])
    english = _get(csbm, signed_in("bb.head"), path).content.decode()
    russian = _get(
        csbm, signed_in("bb.head"), path, headers={"accept-language": "ru"}
    ).content.decode()
    assert f"({words}, {within.cite()}" in english
    assert words not in russian
    assert f"({in_russian}, {within.cite()}" in russian


def test_a_consultation_shows_its_state_and_each_deadline_with_its_rule(csbm: CsbmWorld) -> None:
    entry = _consultation(csbm)
    page = _get(csbm, Client(), reverse("csbm-consultations")).content.decode()
    assert "reply due" in page
    assert "48 hours, VD2011 §16.1.2 [S], profile version" in page
    bb = _get(csbm, signed_in("bb.head"), reverse("csbm-notification", args=[entry])).content
    reply_link = f"?format=clarification-reply&amp;in_reply_to={entry}"
    assert reply_link in bb.decode()
    form = _get(
        csbm, signed_in("bb.head"), f"/csbm/notify/?format=clarification-reply&in_reply_to={entry}"
    )
    assert f'value="{entry}"' in form.content.decode()
    sent = _post(
        csbm,
        signed_in("bb.head"),
        reverse("csbm-notify"),
        {"format": "clarification-reply", "in_reply_to": str(entry), "reply": "An exercise."},
    )
    assert sent.status_code == 200, sent.content.decode()
    assert Case.objects.get(entry_index=entry).state == "replied"
    aa = signed_in("aa.head")
    assert (
        reverse("csbm-close", args=[entry])
        in _get(csbm, aa, reverse("csbm-consultations")).content.decode()
    )
    closed = _post(csbm, aa, reverse("csbm-close", args=[entry]), {"outcome": "satisfied"})
    assert closed.status_code == 200
    assert "explanation satisfactory" in closed.content.decode()
    assert Case.objects.get(entry_index=entry).state == "closed"


def test_the_inspection_page_counts_each_receiving_partys_quota(csbm: CsbmWorld) -> None:
    csbm.notify(AA_HEAD, "inspection-request", csbm.inspection("BB"))
    page = _get(csbm, Client(), reverse("csbm-inspections")).content.decode()
    assert "1 of 3" in page  # BB: one inspection of its three a year
    assert "State A: 1 of 1" in page
    assert "VD2011" in page
    assert "profile version" in page


def test_a_head_registers_the_webhook_and_only_its_party_sees_it(csbm: CsbmWorld) -> None:
    aa = signed_in("aa.head")
    address = "https://verification.example.org/accord"
    answer = _post(csbm, aa, reverse("csbm-webhook"), {"url": address})
    assert answer.status_code == 200, answer.content.decode()
    assert Webhook.objects.get(party="AA").url == address
    assert address in _get(csbm, aa, reverse("csbm-webhook")).content.decode()
    assert address not in _get(csbm, signed_in("bb.head"), reverse("csbm-webhook")).content.decode()
    assert address not in _get(csbm, Client(), reverse("csbm-webhook")).content.decode()
    private = _post(csbm, aa, reverse("csbm-webhook"), {"url": "https://127.0.0.1/x"})
    assert private.status_code == 422
    assert Webhook.objects.get(party="AA").url == address


def test_the_compliance_report_prints_its_table_and_links_its_downloads(csbm: CsbmWorld) -> None:
    csbm.notify(AA_HEAD, "general-communication", csbm.general())
    year = csbm.today().year
    page = _get(csbm, Client(), reverse("csbm-compliance", args=[year])).content.decode()
    assert 'id="compliance"' in page
    assert "State A" in page
    assert "csbm/csbm.css" in page  # the print stylesheet hides the navigation
    assert f"/csbm/compliance/{year}.csv" in page
    assert f"/csbm/compliance/{year}.json" in page
    assert _get(csbm, Client(), "/csbm/compliance/1800/").status_code == 404


def test_a_seal_without_sending_is_for_signed_in_people(csbm: CsbmWorld) -> None:
    size = _size()
    answer = _post(
        csbm,
        signed_in("aa.head"),
        reverse("csbm-seal"),
        {
            "format": "general-communication",
            "payload": '{"subject": "x", "text": "y", "category": "other", "dated": "2025-01-01"}',
        },
    )
    assert answer.status_code == 200, answer.content.decode()
    assert _size() == size + 1
    assert not Notification.objects.exists()


def test_a_reply_is_sent_by_the_party_asked_only(csbm: CsbmWorld) -> None:
    entry = _consultation(csbm)
    csbm.act(
        lambda: actions.notify(
            BB_HEAD, format="clarification-reply", payload={"in_reply_to": entry, "reply": "Done."}
        )
    )
    dd = _get(
        csbm, signed_in("dd.head"), reverse("csbm-notification", args=[entry])
    ).content.decode()
    assert "format=clarification-reply" not in dd
