"""`manage.py check --deploy` warns when sign-in links cannot leave the host as e-mail."""

from pytest_django.fixtures import Settings as SettingsWrapper

from accord.front.checks import outgoing_mail


def test_a_deployment_without_a_mail_server_or_site_address_is_warned(
    settings: SettingsWrapper,
) -> None:
    settings.EMAIL_HOST = ""
    settings.SITE_URL = ""
    assert [warning.id for warning in outgoing_mail(None)] == ["accord.W001", "accord.W002"]
    settings.EMAIL_HOST = "smtp.example.org"
    settings.SITE_URL = "https://forum.example/"
    assert outgoing_mail(None) == []
