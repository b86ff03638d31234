from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "accord.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        # Registering the ledger's own statement kinds; other apps do the same in theirs.
        from accord.ledger import statements  # noqa: F401, PLC0415
