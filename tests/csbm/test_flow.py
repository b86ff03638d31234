"""The core flows of the CSBM app through its actions: notify, acknowledge, deadlines,
consultations and quotas, each with the refusals that leave the log as it was."""

from accord.csbm import actions
from accord.csbm.models import Case, Delivery, Missed, Notification
from accord.ledger.digest import digest
from accord.ledger.models import Entry
from accord.ledger.replay import replay
from tests.csbm.world import AA_HEAD, BB_HEAD, CC_HEAD, DD_HEAD, SECRETARIAT, CsbmWorld


def test_a_prior_notification_reaches_every_other_participating_party(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    found = Notification.objects.get(entry_index=entry)
    assert found.recipients == ["BB", "DD"]
    assert found.on_time is True
    assert found.assessment is not None
    assert found.assessment["notifiable"] is True
    assert found.assessment["observable"] is False
    assert found.distribution == "restricted"
    assert sorted(
        Delivery.objects.filter(notification=entry).values_list("recipient", flat=True)
    ) == ["BB", "DD"]
    content = Entry.objects.get(index=found.content)
    assert b"Union Shield" not in bytes(content.leaf)


def test_a_late_prior_notification_is_taken_and_marked_late(csbm: CsbmWorld) -> None:
    entry = csbm.notify(
        AA_HEAD, "prior-notification", csbm.prior(starts_on=csbm.day(30), ends_on=csbm.day(35))
    )
    assert Notification.objects.get(entry_index=entry).on_time is False


def test_refusals_leave_the_log_as_it_was(csbm: CsbmWorld) -> None:
    refused = csbm.forum.refused
    refused(
        "not_permitted",
        lambda: actions.notify(CC_HEAD, format="general-communication", payload=csbm.general()),
    )
    refused(
        "start_in_past",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(starts_on=csbm.day(-1))
        ),
    )
    refused(
        "bad_payload",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(forces={"troops": -5})
        ),
    )
    refused(
        "bad_payload",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(forces={"troops": 10**9})
        ),
    )
    refused(
        "below_thresholds",
        lambda: actions.notify(
            AA_HEAD, format="prior-notification", payload=csbm.prior(forces={"troops": 100})
        ),
    )
    refused("unknown_format", lambda: actions.notify(AA_HEAD, format="nonsense", payload={}))


def test_acknowledgements_once_by_recipients_and_overdue_ones_concluded(csbm: CsbmWorld) -> None:
    entry = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    refused = csbm.forum.refused
    refused("own_notification", lambda: actions.acknowledge(AA_HEAD, entry))
    refused("not_permitted", lambda: actions.acknowledge(CC_HEAD, entry))
    incident = csbm.notify(
        AA_HEAD,
        "hazardous-incident",
        {
            "addressees": ["BB"],
            "occurred_at": "2025-01-01T10:00:00Z",
            "location": "Sea",
            "description": "A near collision.",
            "point_of_contact": "Navy duty officer",
        },
    )
    assert Notification.objects.get(entry_index=incident).recipients == ["BB"]
    refused("not_recipient", lambda: actions.acknowledge(DD_HEAD, incident))
    csbm.act(lambda: actions.acknowledge(BB_HEAD, entry))
    refused("acknowledged_already", lambda: actions.acknowledge(BB_HEAD, entry))
    refused(
        "not_yet",
        lambda: actions.record_missed(SECRETARIAT, entry, party="DD", what="acknowledgement"),
    )
    csbm.later(24 * 5)
    done = csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment))
    assert len(done) == 2
    assert "DD" in done[0]
    assert "BB" in done[1]
    missed = Missed.objects.get(notification=entry)
    assert (missed.party, missed.what, missed.notification) == ("DD", "acknowledgement", entry)
    assert csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment)) == []
    csbm.act(lambda: actions.acknowledge(DD_HEAD, entry))
    late = Delivery.objects.get(notification=entry, recipient="DD")
    assert late.ack_on_time is False
    assert late.overdue_entry == missed.entry_index


def test_a_consultation_runs_from_request_to_all_parties_meeting(csbm: CsbmWorld) -> None:
    request = csbm.notify(
        AA_HEAD,
        "clarification-request",
        {
            "requested_state": "BB",
            "activity": "Armour moving west",
            "location": "Near the border",
            "reasons": "Not in any calendar.",
        },
    )
    case = Case.objects.get(entry_index=request)
    assert case.state == "reply_due"
    assert case.counterpart == "BB"
    meeting = {"in_reply_to": request, "proposed_place": "Vienna", "agenda": "The movements"}
    csbm.forum.refused(
        "reply_not_due",
        lambda: actions.notify(AA_HEAD, format="all-parties-meeting-request", payload=meeting),
    )
    csbm.forum.refused(
        "not_your_turn",
        lambda: actions.notify(
            DD_HEAD, format="clarification-reply", payload={"in_reply_to": request, "reply": "x"}
        ),
    )
    csbm.later(49)
    csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment))
    assert Case.objects.get(entry_index=request).state == "reply_overdue"
    csbm.notify(AA_HEAD, "all-parties-meeting-request", meeting)
    assert Case.objects.get(entry_index=request).state == "all_meeting_requested"
    csbm.act(lambda: actions.close_case(AA_HEAD, request, outcome="meeting_held"))
    csbm.forum.refused(
        "case_closed",
        lambda: actions.notify(
            BB_HEAD,
            format="clarification-reply",
            payload={"in_reply_to": request, "reply": "Late."},
        ),
    )


def test_inspections_are_counted_against_the_quota(csbm: CsbmWorld) -> None:
    first = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    csbm.forum.refused(
        "inspected_already",
        lambda: actions.notify(AA_HEAD, format="inspection-request", payload=csbm.inspection()),
    )
    csbm.forum.refused(
        "team_too_large",
        lambda: actions.notify(
            DD_HEAD, format="inspection-request", payload=csbm.inspection(team_size=9)
        ),
    )
    csbm.notify(DD_HEAD, "inspection-request", csbm.inspection())
    csbm.notify(BB_HEAD, "inspection-request", csbm.inspection(host="DD"))
    csbm.act(
        lambda: actions.notify(
            BB_HEAD, format="inspection-reply", payload={"in_reply_to": first, "accepted": True}
        )
    )
    csbm.notify(AA_HEAD, "inspection-report", {"in_reply_to": first, "findings": "As notified."})
    assert Case.objects.get(entry_index=first).state == "reported"


def _a_year(csbm: CsbmWorld) -> None:
    """Every kind at least once: exchange, calendar, prior notification, consultation,
    inspection with its reply and report, acknowledgements and a missed deadline."""
    csbm.notify(BB_HEAD, "annual-exchange", csbm.exchange())
    csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    request = csbm.notify(
        DD_HEAD,
        "clarification-request",
        {
            "requested_state": "AA",
            "activity": "Exercise",
            "location": "North",
            "reasons": "Why?",
        },
    )
    csbm.notify(AA_HEAD, "clarification-reply", {"in_reply_to": request, "reply": "Planned."})
    csbm.act(lambda: actions.close_case(DD_HEAD, request, outcome="satisfied"))
    first = csbm.notify(AA_HEAD, "inspection-request", csbm.inspection())
    csbm.act(lambda: actions.acknowledge(BB_HEAD, first))
    csbm.notify(BB_HEAD, "inspection-reply", {"in_reply_to": first, "accepted": True})
    csbm.notify(AA_HEAD, "inspection-report", {"in_reply_to": first, "findings": "As notified."})
    csbm.notify(
        AA_HEAD,
        "evaluation-request",
        {
            "receiving_state": "BB",
            "unit": "Brigade 7",
            "requested_on": csbm.day(7),
            "team_size": 3,
        },
    )
    csbm.later(24 * 7)
    csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment))
    assert Missed.objects.exists()


def test_a_year_replays_to_the_live_digests_full_and_public(csbm: CsbmWorld) -> None:
    _a_year(csbm)
    live = (digest(full=False), digest(full=True))
    assert live[0] != live[1]
    result = replay()
    assert (result.public_digest, result.full_digest) == live
    public = replay(full=False)
    assert public.public_digest == live[0]


def test_a_bilateral_meeting_goes_to_the_party_asked_after_its_reply(csbm: CsbmWorld) -> None:
    request = csbm.notify(
        AA_HEAD,
        "clarification-request",
        {
            "requested_state": "BB",
            "activity": "Armour",
            "location": "East",
            "reasons": "Unusual.",
        },
    )
    reply = csbm.notify(BB_HEAD, "clarification-reply", {"in_reply_to": request, "reply": "Drill."})
    assert Notification.objects.get(entry_index=reply).recipients == ["AA", "DD"]
    assert Notification.objects.get(entry_index=reply).on_time is True
    meeting = {"in_reply_to": request, "proposed_place": "Minsk", "agenda": "The drill"}
    asked = csbm.notify(AA_HEAD, "bilateral-meeting-request", meeting)
    assert Notification.objects.get(entry_index=asked).recipients == ["BB"]
    case = Case.objects.get(entry_index=request)
    assert case.state == "bilateral_meeting_requested"
    assert case.meeting_due > case.opened_at
    csbm.forum.refused(
        "meeting_requested",
        lambda: actions.notify(AA_HEAD, format="bilateral-meeting-request", payload=meeting),
    )
    csbm.forum.refused(
        "replied_already",
        lambda: actions.notify(
            BB_HEAD,
            format="clarification-reply",
            payload={"in_reply_to": request, "reply": "Again."},
        ),
    )


def test_bad_public_facts_are_a_bad_body_not_a_crash(csbm: CsbmWorld) -> None:
    sealed = csbm.act(
        lambda: actions.seal(AA_HEAD, format="general-communication", payload=csbm.general())
    )
    csbm.forum.refused(
        "facts_mismatch",
        lambda: actions.send(
            AA_HEAD,
            format="general-communication",
            content=sealed.index,
            to=["BB", "DD"],
            facts={"supersedes": "x"},
        ),
    )
    csbm.forum.refused(
        "wrong_recipients",
        lambda: actions.send(
            AA_HEAD, format="general-communication", content=sealed.index, to=["BB"], facts={}
        ),
    )
    csbm.forum.refused(
        "not_sealed",
        lambda: actions.send(
            BB_HEAD, format="general-communication", content=sealed.index, to=["AA", "DD"], facts={}
        ),
    )


def test_an_activity_missing_from_a_nil_calendar_is_flagged(csbm: CsbmWorld) -> None:
    year = int(csbm.day(60)[:4])
    csbm.notify(AA_HEAD, "annual-calendar", {"year": year, "nil_return": True})
    entry = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())
    assert Notification.objects.get(entry_index=entry).in_calendar is False
