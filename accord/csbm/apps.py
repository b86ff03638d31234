from django.apps import AppConfig


class CsbmConfig(AppConfig):
    name = "accord.csbm"
    label = "csbm"
    verbose_name = "Confidence- and security-building measures"

    def ready(self) -> None:
        # Registers the CSBM statement kinds and read rules, declares their acts (whose grants
        # a newly founded forum's profile takes), the profile section (the regime) and the
        # scheduler's jobs: missed deadlines recorded, then the deliveries sent after commit
        # and the reminders of deadlines queued in the outbox.
        from accord.csbm import acts, demo, statements  # noqa: F401, PLC0415
        from accord.csbm.actions import conclude_due  # noqa: PLC0415
        from accord.csbm.notices import reminders  # noqa: PLC0415
        from accord.csbm.rules import SECTION, CsbmRules  # noqa: PLC0415
        from accord.csbm.transports import send_due  # noqa: PLC0415
        from accord.forum.profile import register_section  # noqa: PLC0415
        from accord.ledger.schedule import due_job  # noqa: PLC0415

        due_job("csbm.deadlines")(conclude_due)
        due_job("csbm.deliveries")(send_due)
        due_job("csbm.reminders")(reminders)
        register_section(SECTION, CsbmRules)
