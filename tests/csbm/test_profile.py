"""The regime profile is data in the log: the forum amends its ``csbm`` section by a profile
amendment, each notification keeps the version its deadlines were computed under, and a later
amendment never changes what was concluded (or is concluded later) under an earlier one."""

from typing import Any

from accord.csbm import actions
from accord.csbm.models import Missed, Notification
from accord.csbm.rules import CsbmRules, csbm_rules
from accord.csbm.thresholds import Forces, assess
from accord.forum import actions as forum_actions
from accord.forum import queries as forum_queries
from accord.ledger.digest import digest
from accord.ledger.replay import replay
from tests.csbm.world import AA_HEAD, BB_HEAD, DD_HEAD, CsbmWorld


def _amended(change: dict[str, Any]) -> dict[str, Any]:
    found = forum_queries.profile()
    assert found is not None
    version, profile = found
    data = profile.model_dump(mode="json")
    data["version"] = version + 1
    section = data["sections"]["csbm"]
    for path, value in change.items():
        *parents, leaf = path.split(".")
        place = section
        for name in parents:
            place = place[name]
        place[leaf] = value
    return data


def _adopt(csbm: CsbmWorld, profile: dict[str, Any]) -> None:
    proposal = csbm.act(lambda: forum_actions.propose_profile(AA_HEAD, profile)).index
    for head in (AA_HEAD, BB_HEAD, DD_HEAD):
        csbm.act(lambda head=head: forum_actions.agree_profile(head, proposal))  # type: ignore[misc]
    csbm.act(lambda: forum_actions.adopt_profile(AA_HEAD, proposal))


def test_the_shipped_default_is_the_reference_profile() -> None:
    rules = CsbmRules()
    assert rules.notification.troops.value == 9000
    assert rules.notification.troops.status == "S"
    assert (rules.notification.battle_tanks.value, rules.notification.acv.value) == (250, 500)
    assert rules.notification.artillery.value == 250
    assert (rules.observation.troops.value, rules.observation.battle_tanks.value) == (13000, 300)
    assert rules.notification.lead_days.ref.startswith("VD2011")


def test_an_amendment_applies_to_later_notifications_and_never_to_earlier_ones(
    csbm: CsbmWorld,
) -> None:
    first = csbm.notify(AA_HEAD, "general-communication", csbm.general())
    before = Notification.objects.get(entry_index=first)
    assert before.profile_version == 1
    _adopt(
        csbm,
        _amended(
            {
                "acknowledgement.within": {
                    "amount": 10,
                    "unit": "calendar_days",
                    "ref": "Forum decision",
                    "status": "V",
                },
                "notification.lead_days": {"value": 90, "ref": "Forum decision", "status": "V"},
            }
        ),
    )
    version, rules = csbm_rules()
    assert version == 2
    assert rules.acknowledgement.within.amount == 10
    assert Notification.objects.get(entry_index=first).ack_due == before.ack_due
    second = csbm.notify(AA_HEAD, "general-communication", csbm.general(subject="Second"))
    assert Notification.objects.get(entry_index=second).profile_version == 2
    late = csbm.notify(AA_HEAD, "prior-notification", csbm.prior())  # 60 days ahead: late now
    assert Notification.objects.get(entry_index=late).on_time is False
    found = assess(Forces(troops=10000), rules, version, start=csbm.today())
    assert "90 days before the start" in " ".join(found.reasons)
    assert "Profile version 2" in found.reasons[0]

    csbm.later(24 * 5)
    csbm.act(lambda: actions.conclude_due(csbm.forum.ticking.moment))
    missed = Missed.objects.filter(what="acknowledgement")
    assert {row.notification for row in missed} == {first}  # the second has 10 days
    assert all(row.profile_version == 1 for row in missed)
    assert all("2 working days" in row.rule for row in missed)

    live = (digest(full=False), digest(full=True))
    result = replay()
    assert (result.public_digest, result.full_digest) == live


def test_a_profile_with_impossible_numbers_is_refused(csbm: CsbmWorld) -> None:
    bad = _amended({"notification.troops": {"value": -1, "ref": "x", "status": "M"}})
    refusal = csbm.forum.refused("bad_body", lambda: forum_actions.propose_profile(AA_HEAD, bad))
    assert "notification.troops.value" in str(refusal)
    unknown = _amended({"notification.troops": {"value": 5, "ref": "x", "status": "Q"}})
    csbm.forum.refused("bad_body", lambda: forum_actions.propose_profile(AA_HEAD, unknown))
