from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "accord.charter"
    label = "charter"
    verbose_name = "Charter"

    def ready(self) -> None:
        # Registers the charter's statement kinds, declares its acts (whose grants a newly
        # founded forum's profile takes), its chapter of the demo and its scheduler job
        # (concluding silences).
        from accord.charter import acts, demo, statements  # noqa: F401, PLC0415
        from accord.charter.actions import conclude_due  # noqa: PLC0415
        from accord.charter.rules import SECTION, CharterRules  # noqa: PLC0415
        from accord.forum.profile import register_section  # noqa: PLC0415
        from accord.ledger.schedule import due_job  # noqa: PLC0415

        due_job("charter.silence")(conclude_due)
        register_section(SECTION, CharterRules)
