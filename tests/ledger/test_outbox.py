"""The outbox: written in the caller's transaction, sent after commit, secrets blanked once sent."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accord.ledger import outbox
from accord.ledger.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_a_queued_email_is_sent_once_and_its_body_blanked() -> None:
    outbox.queue_email("head@example.org", "Your sign-in link", "secret link")
    assert outbox.deliver() == 1
    assert [(m.to, m.body) for m in mail.outbox] == [(["head@example.org"], "secret link")]
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None
    assert "secret link" not in str(message.payload)
    assert outbox.deliver() == 0
    assert len(mail.outbox) == 1


def test_a_message_queued_in_a_rolled_back_transaction_is_never_sent() -> None:
    def act_that_fails() -> None:
        with transaction.atomic():
            outbox.queue_email("x@example.org", "s", "b")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        act_that_fails()
    assert outbox.deliver() == 0
    assert mail.outbox == []


def test_a_failed_send_stays_pending_and_the_others_go(monkeypatch: pytest.MonkeyPatch) -> None:
    outbox.queue_email("broken@example.org", "s", "first")
    outbox.queue_email("fine@example.org", "s", "second")
    real = outbox.CHANNELS[outbox.EMAIL]

    def flaky(payload: dict[str, str]) -> None:
        if payload["to"].startswith("broken"):
            raise ConnectionError("the mail server is down")
        real(payload)

    monkeypatch.setitem(outbox.CHANNELS, outbox.EMAIL, flaky)
    with pytest.raises(ConnectionError, match="mail server is down"):
        outbox.deliver()
    assert [m.to for m in mail.outbox] == [["fine@example.org"]]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1
    monkeypatch.setitem(outbox.CHANNELS, outbox.EMAIL, real)
    assert outbox.deliver() == 1


def test_a_message_that_keeps_failing_is_left_for_the_operator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outbox.queue_email("broken@example.org", "s", "b")

    def down(payload: dict[str, str]) -> None:
        raise ConnectionError("refused")

    monkeypatch.setitem(outbox.CHANNELS, outbox.EMAIL, down)
    for _ in range(outbox.MAX_ATTEMPTS):
        with pytest.raises(ConnectionError):
            outbox.deliver()
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.last_error) == (outbox.MAX_ATTEMPTS, "refused")
    assert outbox.deliver() == 0  # not tried again, and not in the way of other mail


def test_a_message_claimed_by_another_worker_is_not_sent_twice() -> None:
    outbox.queue_email("x@example.org", "s", "b")
    OutboxMessage.objects.update(claimed_at=timezone.now())
    assert outbox.deliver() == 0
    assert mail.outbox == []
    OutboxMessage.objects.update(claimed_at=timezone.now() - outbox.CLAIM_TIMEOUT * 2)
    assert outbox.deliver() == 1  # that worker died mid-send: sent again
