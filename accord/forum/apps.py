from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "accord.forum"
    label = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        # Registers the forum's statement kinds and its rules-of-procedure admission rule.
        from accord.forum import statements  # noqa: F401, PLC0415
