from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "accord.front"
    label = "front"
    verbose_name = "Front"

    def ready(self) -> None:
        # Registers the deployment checks for outgoing mail.
        from accord.front import checks  # noqa: F401, PLC0415
