"""Deliveries of a notification to its recipients through pluggable transports.

``queue`` runs in the notification's transaction (``NotificationSent.deliver``, never on
replay) and writes one ``Dispatch`` per recipient and transport; sending happens after
commit, in the worker's rounds.
"""

from accord.csbm.models import Dispatch, Notification

INBOX = "inbox"


def queue(entry: int) -> None:
    """Queue the deliveries of notification ``entry``: the web inbox for every recipient
    (delivered when the log took it)."""
    notification = Notification.objects.get(entry_index=entry)
    Dispatch.objects.bulk_create(
        Dispatch(notification=entry, recipient=code, transport=INBOX, status="sent")
        for code in notification.recipients
    )
