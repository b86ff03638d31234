"""Requests racing from one old size: at most one is cosigned, whether they reach one witness
process on several connections or two processes serving the same folder (the race
c2sp.org/tlog-witness spells out, which would otherwise roll the witness back)."""

import threading

from tests.witness.conftest import StartWitness, Witness
from tests.witness.spec_client import Answer, SpecLog, post

RACERS = 8
ROUNDS = 12


def _race(urls: list[str], log: SpecLog, old: int) -> list[tuple[int, Answer]]:
    """RACERS requests from ``old`` to old+1 … old+RACERS, released together."""
    barrier = threading.Barrier(RACERS)
    answers: list[tuple[int, Answer]] = []
    lock = threading.Lock()

    def one(number: int) -> None:
        size = old + 1 + number
        body = log.request(old, size)
        barrier.wait()
        answer = post(urls[number % len(urls)], body)
        with lock:
            answers.append((size, answer))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _run_rounds(urls: list[str], log: SpecLog) -> None:
    old = 0
    for _ in range(ROUNDS):
        answers = _race(urls, log, old)
        won = [size for size, answer in answers if answer.status == 200]
        assert len(won) == 1, answers
        lost = {answer.body for _, answer in answers if answer.status != 200}
        assert {a.status for _, a in answers if a.status != 200} <= {409}
        assert lost <= {f"{won[0]}\n"}
        old = won[0]


def test_racing_requests_to_one_witness_cosign_one_of_them(
    witness: Witness, start_witness: StartWitness
) -> None:
    log = SpecLog("a.example/log")
    log.grow(RACERS * ROUNDS + 1)
    running = start_witness(witness.folder, log.vkey)
    _run_rounds([running.url], log)


def test_racing_requests_to_two_processes_on_one_folder_cosign_one_of_them(
    witness: Witness, start_witness: StartWitness
) -> None:
    log = SpecLog("a.example/log")
    log.grow(RACERS * ROUNDS + 1)
    first = start_witness(witness.folder, log.vkey)
    second = start_witness(witness.folder)
    _run_rounds([first.url, second.url], log)
