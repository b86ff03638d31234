from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "accord.dialogue"
    label = "dialogue"
    verbose_name = "Conference"

    def ready(self) -> None:
        # Registers the conference's statement kinds and read rules, declares its acts (whose
        # grants a newly founded forum's profile takes), its profile section, its chapter of
        # the demo and its scheduler job (reminders of meetings).
        from accord.dialogue import acts, demo, statements  # noqa: F401, PLC0415
        from accord.dialogue.notices import reminders  # noqa: PLC0415
        from accord.dialogue.rules import SECTION, DialogueRules  # noqa: PLC0415
        from accord.forum.profile import register_section  # noqa: PLC0415
        from accord.ledger.schedule import due_job  # noqa: PLC0415

        due_job("dialogue.reminders")(reminders)
        register_section(SECTION, DialogueRules)
