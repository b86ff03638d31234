from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "accord.front"
    label = "front"
    verbose_name = "Front"
