"""One host and three parties, each with its node and witness, as real processes on 127.0.0.1
(issue 11 §4): a forum founded from a FORUM.toml by Belarus, Hungary and Kazakhstan, each
holding its own key; each party runs ``accord node run`` (mirror, replay and its witness) and
registers its witness with that key, so all three count toward the forum's witness policy (a
majority of the three participating parties: two).

Statements flow; checkpoints reach the quorum with all three cosignatures; ``accord verify
--policy`` accepts the host; every node replays to the host's signed digest. Then one node
is killed (its witness with it): the log keeps moving and the policy stays met. A second is
killed: the served checkpoint says ``unmet``, names the missing witnesses, and the forum's
pages warn. One restarts: it catches up from its stored state and the policy is met again.
"""

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.tlog.policy import Policy
from tests.node.forum_world import (
    ORIGIN,
    PARTIES,
    ForumHost,
    Party,
    accord,
    each,
    fetch,
    stop_together,
    until,
)


class Forum:
    """The host and the three parties, stopped at the end whatever happened."""

    def __init__(self, root: Path) -> None:
        self.host = ForumHost(root / "host")
        self.parties = {code: Party(root, code, self.host) for code in PARTIES}

    def stop(self) -> None:
        for party in self.parties.values():
            party.stop()
        self.host.stop()

    def names(self, *codes: str) -> list[str]:
        return sorted(self.parties[code].witness_name for code in codes)


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[Forum]:
    made = Forum(tmp_path)
    try:
        yield made
    finally:
        made.stop()


def _found_and_join(forum: Forum) -> None:
    """The forum founded with the parties' own keys; each founding party joins itself."""
    host = forum.host
    host.found({code: party.vkey for code, party in forum.parties.items()})
    host.serve()
    each(list(forum.parties.values()), lambda party: party.act("forum", "join"))
    answer = fetch(f"{host.url}/api/v1/forum")
    assert answer.status == 200, answer
    statuses = {p["code"]: p["status"] for p in json.loads(answer.body)["parties"]}
    assert {code: statuses[code] for code in PARTIES} == dict.fromkeys(PARTIES, "participating")


def _witnessed_by(policy: Policy, note: str) -> list[str]:
    return sorted(policy.check(note).witnesses)


def _cosigned_checkpoint(host: ForumHost, policy: Policy, names: list[str], entry: int) -> str:
    """Wait for a served checkpoint holding ``entry`` cosigned by exactly ``names``."""

    def check() -> str | None:
        served = host.checkpoint()
        size = int(served.text.split("\n")[1])
        if size > entry and _witnessed_by(policy, served.text) == names:
            return served.text
        return None

    return until(check, f"a checkpoint holding entry {entry} cosigned by {', '.join(names)}")


def _replayed_to_the_hosts_digest(host: ForumHost, parties: list[Party], size: int) -> str:
    """Wait until the host signs its state digest at ``size`` and every node in ``parties``
    recorded the very same public digest at that size; the digest."""

    def signed_at_size() -> str | None:
        found = host.state_digest()
        return found[1] if found is not None and found[0] == size else None

    signed = until(signed_at_size, f"the host's state digest at {size} entries")
    note = fetch(f"{host.url}/log/state-digest").body
    for party in parties:
        until(
            lambda party=party: party.digests().get(size) == signed,  # type: ignore[misc]
            f"{party.code}'s node replaying to the host's digest at {size} entries",
        )
        # and its mirror serves the very note it reproduced (docs/node.md)
        until(
            lambda party=party: fetch(f"{party.node_url}/log/state-digest").body == note,  # type: ignore[misc]
            f"{party.code}'s mirror serving the host's state digest at {size} entries",
        )
    return signed


def _trusted(parties: list[Party]) -> None:
    for party in parties:
        assert not (party.state / "distrust.json").exists(), party.said()
        assert not list(party.state.glob("evidence/*")), party.said()


def _verify(
    forum: Forum, policy_file: Path, log: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``accord verify`` of the host's log (or the ``log`` a node mirrors) against the policy
    file, from Belarus's machine."""
    host = forum.host
    return accord(
        forum.parties["BY"].environment,
        *("verify", log or f"{host.url}/log", "--log-key", host.log_key),
        *("--policy", str(policy_file)),
    )


def _witnesses_registered(forum: Forum, tmp_path: Path) -> tuple[Policy, Path]:
    """Each party makes its witness and node, runs the node and registers its witness with
    its own key; the forum's policy then names all three. The policy and its file."""
    everyone = list(forum.parties.values())
    each(everyone, lambda party: party.make_witness_and_node([p for p in everyone if p != party]))
    each(everyone, Party.start)
    each(everyone, Party.register_witness)

    def naming_all() -> str | None:
        answer = fetch(f"{forum.host.url}/log/witness-policy")
        named = all(f"witness {party.witness_name} " in answer.text for party in everyone)
        return answer.text if answer.status == 200 and named else None

    text = until(naming_all, "the forum's witness policy naming the three witnesses")
    listed = json.loads(fetch(f"{forum.host.url}/api/v1/witnesses").body)["registrations"]
    assert sorted((one["party"], one["name"], one["counts"]) for one in listed) == [
        (party.code, party.witness_name, True) for party in everyone
    ]
    assert "group quorum+parties 2 " in text, text  # a majority of three parties
    policy_file = tmp_path / "witness-policy.txt"
    policy_file.write_text(text, encoding="utf-8")
    return Policy.parse(text), policy_file


def _statements_reach_the_quorum(forum: Forum, policy: Policy, policy_file: Path) -> int:
    """Each party publishes a communiqué signed on its machine; the checkpoint holding them
    is cosigned by all three, verifies against the policy, and every node replays to the
    host's digest at its size. That size."""
    host, everyone = forum.host, list(forum.parties.values())
    published = each(
        everyone,
        lambda party: party.publish(
            f"Communiqué of {PARTIES[party.code]}", f"{party.code} speaks for itself."
        ),
    )
    note = _cosigned_checkpoint(host, policy, forum.names(*PARTIES), max(published))
    size = int(note.split("\n")[1])
    assert size == max(published) + 1, "the log holds nothing the parties did not sign"
    served = host.checkpoint()
    assert served.text == note, "nothing changed once the three had cosigned"
    assert served.headers["Accord-Witness-Policy"] == "met", served.headers
    assert "Accord-Witnesses-Missing" not in served.headers
    assert policy.check(served.text).met
    verified = _verify(forum, policy_file)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"Verified {ORIGIN}: {size} entries" in " ".join(verified.stdout.split())
    # Kazakhstan's mirror serves the very cosigned checkpoint, so it verifies there too.
    kz = forum.parties["KZ"]
    until(
        lambda: fetch(f"{kz.node_url}/node/checkpoint").body == served.body,
        "Kazakhstan's node holding the checkpoint the three witnesses cosigned",
    )
    mirrored = _verify(forum, policy_file, f"{kz.node_url}/log")
    assert mirrored.returncode == 0, mirrored.stdout + mirrored.stderr
    assert f"Verified {ORIGIN}: {size} entries" in " ".join(mirrored.stdout.split())
    _replayed_to_the_hosts_digest(host, everyone, size)
    for party in everyone:  # and each compared its checkpoint with both other parties' nodes
        for peer in (other for other in everyone if other is not party):
            agreed = f"Peer {peer.node_url} holds the same {size} entries"
            until(
                lambda party=party, agreed=agreed: agreed in party.said(),  # type: ignore[misc]
                f"{party.code}'s node agreeing with {peer.code}'s at {size} entries",
            )
    _trusted(everyone)
    return size


def test_three_parties_witness_replay_and_the_quorum_follows_who_is_up(
    forum: Forum, tmp_path: Path
) -> None:
    host = forum.host
    by, hu, kz = (forum.parties[code] for code in PARTIES)
    _found_and_join(forum)
    policy, policy_file = _witnesses_registered(forum, tmp_path)
    size = _statements_reach_the_quorum(forum, policy, policy_file)

    # Hungary's node goes down, its witness with it: the log moves, two of three still cosign.
    hu.kill()
    hu_cosigned = hu.cosigned_size()
    assert hu_cosigned == size, "Hungary's witness had cosigned the latest checkpoint"
    last = by.publish("After Hungary went quiet", "The forum goes on.")
    _cosigned_checkpoint(host, policy, forum.names("BY", "KZ"), last)
    assert host.checkpoint().headers["Accord-Witness-Policy"] == "met"

    # Kazakhstan's too: the quorum is lost, and the log, verify and the pages say who is missing.
    kz.kill()
    last = by.publish("Alone", "Belarus alone vouches for this checkpoint.")
    size = int(_cosigned_checkpoint(host, policy, forum.names("BY"), last).split("\n")[1])
    served = host.checkpoint()
    assert served.headers["Accord-Witness-Policy"] == "unmet", served.headers
    assert sorted(served.headers["Accord-Witnesses-Missing"].split()) == forum.names("HU", "KZ")
    assert not policy.check(served.text).met
    refused = _verify(forum, policy_file)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert hu.witness_name in " ".join(refused.stderr.split())
    home = fetch(f"{host.url}/")
    assert home.status == 200
    page = " ".join(home.text.replace("&#x27;", "'").split())
    assert f"checkpoint (size {size}) has not met the forum's witness policy" in page, page
    for party in (hu, kz):
        assert f"<code>{party.witness_name}</code> ({PARTIES[party.code]})" in page, page

    # Hungary's node comes back: it catches up, its witness cosigns again from the state it
    # kept (moving on from what it cosigned before, never back), and the policy is met again.
    hu.start()
    back = _cosigned_checkpoint(host, policy, forum.names("BY", "HU"), last)
    assert int(back.split("\n")[1]) == size
    assert hu.cosigned_size() == size > hu_cosigned
    served = host.checkpoint()
    assert served.headers["Accord-Witness-Policy"] == "met", served.headers
    assert "Accord-Witnesses-Missing" not in served.headers
    _replayed_to_the_hosts_digest(host, [by, hu], size)
    _trusted([by, hu, kz])
    assert f"The host's state digest at {size} entries is reproduced" in hu.said()
    assert stop_together([by, hu]) == [0, 0], "both nodes still trust the host"
