"""accord.tlog.witness: every answer c2sp.org/tlog-witness defines, and the race it warns of."""

import threading

import pytest

from accord.tlog import FormatError, note
from accord.tlog.checkpoint import Checkpoint
from accord.tlog.cosignature import CosignatureVerifier
from accord.tlog.merkle import EMPTY_ROOT, Tree
from accord.tlog.witness import (
    AddCheckpointRequest,
    MemoryWitnessStore,
    WitnessedCheckpoint,
    WitnessResponse,
    WitnessStore,
    add_checkpoint,
)
from tests.tlog.keys import log_keys, witness_key

ORIGIN = "accord.example/log"
LOG, LOG_VERIFIER = log_keys(ORIGIN)
STRANGER, _ = log_keys("stranger.example/log")
WITNESS = witness_key("witness.example/hu")

# The example request of c2sp.org/tlog-witness (C2SP/C2SP tlog-witness.md, CC BY 4.0);
# its keys are not published, so it is used for parsing only.
SPEC_REQUEST = (
    "old 20852014\n"
    "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
    "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
    "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
    "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"
    "\n"
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5"
    "/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49"
    "/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n"
)


def _tree(size: int) -> Tree:
    tree = Tree()
    for i in range(size):
        tree.append(b"statement %d" % i)
    return tree


TREE = _tree(20)


def _request(
    old: int, new: int, *, proof: list[bytes] | None = None, signer: note.Signer = LOG
) -> str:
    checkpoint = Checkpoint(ORIGIN, new, TREE.root(new)).sign(signer)
    if proof is None:
        proof = TREE.consistency_proof(old, new) if old else []
    return AddCheckpointRequest(old, tuple(proof), checkpoint).format()


def _ask(body: str | bytes, store: WitnessStore, timestamp: int = 1_738_195_200) -> WitnessResponse:
    return add_checkpoint(
        body, cosigner=WITNESS, logs={ORIGIN: [LOG_VERIFIER]}, store=store, timestamp=timestamp
    )


def _witnessed(store: MemoryWitnessStore, size: int) -> MemoryWitnessStore:
    assert _ask(_request(0, size), store).status == 200
    return store


def test_the_spec_example_request_parses_and_formats_back() -> None:
    request = AddCheckpointRequest.parse(SPEC_REQUEST)
    assert request.old_size == 20852014
    assert len(request.proof) == 4
    assert request.checkpoint.startswith("example.com/behind-the-sofa\n20852163\n")
    assert request.format() == SPEC_REQUEST
    assert AddCheckpointRequest.parse(SPEC_REQUEST.encode()) == request


def test_a_first_checkpoint_is_cosigned_and_remembered() -> None:
    store = MemoryWitnessStore()
    body = _request(0, 7)
    response = _ask(body, store, timestamp=99)
    assert response.status == 200
    cosigned = AddCheckpointRequest.parse(body).checkpoint + response.body
    opened = note.open(cosigned, [LOG_VERIFIER, CosignatureVerifier(WITNESS.vkey)])
    assert opened.signatures[1].timestamp == 99
    stored = store.latest(ORIGIN)
    assert stored is not None
    assert (stored.size, stored.root) == (7, TREE.root(7))
    assert stored.note == AddCheckpointRequest.parse(body).checkpoint


def test_a_consistent_extension_is_cosigned() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    assert _ask(_request(7, 20), store).status == 200
    stored = store.latest(ORIGIN)
    assert stored is not None
    assert stored.size == 20


def test_the_same_checkpoint_again_is_cosigned_again() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    assert _ask(_request(7, 7), store).status == 200


def test_an_unknown_origin_is_404() -> None:
    body = AddCheckpointRequest(0, (), Checkpoint("other.example", 1, TREE.root(1)).sign(LOG))
    response = _ask(body.format(), MemoryWitnessStore())
    assert (response.status, response.body) == (404, "unknown log origin 'other.example'\n")


def test_a_checkpoint_no_trusted_key_signed_is_403() -> None:
    store = MemoryWitnessStore()
    response = _ask(_request(0, 7, signer=STRANGER), store)
    assert response.status == 403
    assert store.latest(ORIGIN) is None


def test_a_forged_log_signature_is_403() -> None:
    body = _request(0, 7).replace("\n7\n", "\n8\n", 1)
    assert _ask(body, MemoryWitnessStore()).status == 403


@pytest.mark.parametrize(
    "body",
    [
        "",
        "old 0\n",
        "new 0\n\nx\n",
        "old 01\n\n" + Checkpoint(ORIGIN, 1, TREE.root(1)).sign(LOG),
        "old 0\nnot-a-hash\n\n" + Checkpoint(ORIGIN, 1, TREE.root(1)).sign(LOG),
        "old 0\n\nno signature block\n",
        b"old 0\n\n\xff\n",
        "old 0\n\naccord.example/log\nseven\nroot\n\n— accord.example/log AAAA!AA=\n",
    ],
)
def test_a_malformed_request_is_400(body: str | bytes) -> None:
    store = MemoryWitnessStore()
    assert _ask(body, store).status == 400
    assert store.latest(ORIGIN) is None


def test_an_oversized_request_is_400() -> None:
    response = _ask(b"old 0\n\n" + b"x" * (2**20 + 4096), MemoryWitnessStore())
    assert response.status == 400
    assert "request: expected at most" in response.body


def test_more_than_63_proof_lines_is_400() -> None:
    body = _request(3, 7, proof=[TREE.root(1)] * 64)
    response = _ask(body, _witnessed(MemoryWitnessStore(), 3))
    assert response.status == 400
    assert "at most 63 proof lines, found 64" in response.body


def test_an_unparseable_checkpoint_signed_by_the_log_is_400() -> None:
    body = "old 0\n\n" + note.sign(f"{ORIGIN}\nseven\n", LOG)
    response = _ask(body, MemoryWitnessStore())
    assert response.status == 400
    assert "checkpoint" in response.body


def test_an_old_size_beyond_the_checkpoint_is_400() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    response = _ask(_request(9, 7, proof=[]), store)
    assert (response.status, response.body) == (400, "old size 9 is beyond the checkpoint size 7\n")


def test_an_old_size_that_is_not_the_stored_one_is_409_with_the_size() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    response = _ask(_request(5, 20), store)
    assert (response.status, response.body, response.content_type) == (
        409,
        "7\n",
        "text/x.tlog.size",
    )
    stored = store.latest(ORIGIN)
    assert stored is not None
    assert stored.size == 7


def test_a_first_request_for_a_known_log_learns_the_size() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    response = _ask(_request(0, 20), store)
    assert (response.status, response.body) == (409, "7\n")


def test_the_same_size_with_another_root_is_409() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    forked = Checkpoint(ORIGIN, 7, TREE.root(6)).sign(LOG)
    response = _ask(AddCheckpointRequest(7, (), forked).format(), store)
    assert (response.status, response.body) == (409, "7\n")
    stored = store.latest(ORIGIN)
    assert stored is not None
    assert stored.root == TREE.root(7)


def test_a_proof_that_does_not_verify_is_422() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    response = _ask(_request(7, 20, proof=TREE.consistency_proof(6, 20)), store)
    assert response.status == 422
    assert "consistency proof" in response.body
    stored = store.latest(ORIGIN)
    assert stored is not None
    assert stored.size == 7


def test_a_proof_with_old_zero_is_422() -> None:
    response = _ask(_request(0, 7, proof=[TREE.root(1)]), MemoryWitnessStore())
    assert (response.status, response.body) == (
        422,
        "a request from old size 0 must carry no proof\n",
    )


def test_a_proof_for_the_same_size_is_422() -> None:
    store = _witnessed(MemoryWitnessStore(), 7)
    response = _ask(_request(7, 7, proof=[TREE.root(1)]), store)
    assert response.status == 422


def test_an_empty_checkpoint_needs_the_empty_root() -> None:
    empty = Checkpoint(ORIGIN, 0, EMPTY_ROOT).sign(LOG)
    assert _ask(AddCheckpointRequest(0, (), empty).format(), MemoryWitnessStore()).status == 200
    wrong = Checkpoint(ORIGIN, 0, TREE.root(1)).sign(LOG)
    response = _ask(AddCheckpointRequest(0, (), wrong).format(), MemoryWitnessStore())
    assert (response.status, response.body) == (
        422,
        "a checkpoint of size 0 must have the empty tree's root\n",
    )


def test_concurrent_requests_cannot_roll_the_witness_back() -> None:
    # The race of the spec: two requests from the same old size, checked at
    # the same moment. Exactly one may win; the stored size never goes down.
    for _ in range(20):
        store = _witnessed(MemoryWitnessStore(), 3)
        barrier = threading.Barrier(2)
        results: dict[int, int] = {}

        def submit(
            new: int,
            store: MemoryWitnessStore = store,
            barrier: threading.Barrier = barrier,
            results: dict[int, int] = results,
        ) -> None:
            body = _request(3, new)
            barrier.wait()
            results[new] = _ask(body, store).status

        threads = [threading.Thread(target=submit, args=(n,)) for n in (10, 20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results.values()) == [200, 409]
        winner = next(n for n, status in results.items() if status == 200)
        stored = store.latest(ORIGIN)
        assert stored is not None
        assert stored.size == winner


class _RacingStore(MemoryWitnessStore):
    """A store in which another request always gets in between the check and the swap."""

    def compare_and_swap(
        self, origin: str, old_size: int, new: WitnessedCheckpoint
    ) -> WitnessedCheckpoint | None:
        super().compare_and_swap(origin, old_size, WitnessedCheckpoint(19, TREE.root(19), "x"))
        return super().compare_and_swap(origin, old_size, new)


def test_losing_the_compare_and_swap_is_409_with_the_winners_size() -> None:
    response = _ask(_request(0, 7), _RacingStore())
    assert (response.status, response.body) == (409, "19\n")


def test_the_memory_store_is_a_witness_store() -> None:
    assert isinstance(MemoryWitnessStore(), WitnessStore)


def test_request_parse_errors_name_the_problem() -> None:
    with pytest.raises(FormatError, match="request proof line 1"):
        AddCheckpointRequest.parse("old 1\nxyz\n\n" + Checkpoint(ORIGIN, 1, TREE.root(1)).sign(LOG))


def test_a_witness_with_two_keys_answers_a_line_for_each_in_order() -> None:
    from accord.tlog.cosignature import (  # noqa: PLC0415
        MLDSACosignatureVerifier,
        MLDSACosigner,
        generate_mldsa_key,
    )

    mldsa_skey, mldsa_vkey = generate_mldsa_key("witness.example/hu")
    answer = add_checkpoint(
        _request(0, 5),
        cosigner=[WITNESS, MLDSACosigner(mldsa_skey)],
        logs={ORIGIN: [LOG_VERIFIER]},
        store=MemoryWitnessStore(),
        timestamp=1_738_195_200,
    )
    assert answer.status == 200
    first, second = answer.body.splitlines(keepends=True)
    checkpoint = Checkpoint(ORIGIN, 5, TREE.root(5)).sign(LOG)
    for line, verifier in (
        (first, CosignatureVerifier(WITNESS.vkey)),
        (second, MLDSACosignatureVerifier(mldsa_vkey)),
    ):
        opened = note.open(checkpoint + line, [LOG_VERIFIER, verifier])
        assert [s.name for s in opened.signatures] == [ORIGIN, "witness.example/hu"]
