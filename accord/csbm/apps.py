from django.apps import AppConfig


class CsbmConfig(AppConfig):
    name = "accord.csbm"
    label = "csbm"
    verbose_name = "Confidence- and security-building measures"

    def ready(self) -> None:
        # Registers the CSBM statement kinds and read rules, declares their acts (whose grants
        # a newly founded forum's profile takes), the profile section (the regime) and the
        # scheduler's job that records missed deadlines.
        from accord.csbm import acts, demo, statements  # noqa: F401, PLC0415
        from accord.csbm.actions import conclude_due  # noqa: PLC0415
        from accord.csbm.rules import SECTION, CsbmRules  # noqa: PLC0415
        from accord.forum.profile import register_section  # noqa: PLC0415
        from accord.ledger.schedule import due_job  # noqa: PLC0415

        due_job("csbm.deadlines")(conclude_due)
        register_section(SECTION, CsbmRules)
