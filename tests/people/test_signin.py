"""Sign-in: password, one-time link, TOTP for heads and staff, lockout, personal tokens."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings as SettingsWrapper

from accord.forum import demo
from accord.forum.models import Forum, ForumParty
from accord.people import actions, authenticators
from accord.people.authenticators import Authenticator
from accord.people.models import ApiToken, Person, SignInLink
from tests.forum.world import ForumWorld

pytestmark = pytest.mark.django_db


def with_password(handle: str, password: str = "a long demo passphrase") -> User:
    user = Person.objects.get(handle=handle).user
    user.set_password(password)
    user.save()
    return user


def code_for(device: Authenticator) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_delegate_signs_in_with_a_password(forum: ForumWorld, client: Client) -> None:
    with_password("aa.delegate")
    response = client.post(
        "/sign-in", {"handle": "aa.delegate", "password": "a long demo passphrase"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/account").status_code == 200


@pytest.fixture(autouse=True)
def quick_passwords(settings: SettingsWrapper) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_wrong_password_is_refused_in_the_readers_language(
    forum: ForumWorld, client: Client
) -> None:
    with_password("aa.delegate")
    response = client.post(
        "/sign-in",
        {"handle": "aa.delegate", "password": "wrong"},
        headers={"accept-language": "ru"},
    )
    assert "Неверный псевдоним или пароль" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_lock_out(
    forum: ForumWorld, client: Client, settings: SettingsWrapper
) -> None:
    with_password("aa.delegate")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in", {"handle": "aa.delegate", "password": "wrong"})
    response = client.post(
        "/sign-in", {"handle": "aa.delegate", "password": "a long demo passphrase"}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_one_time_link_signs_in_once(forum: ForumWorld, client: Client) -> None:
    token = actions.issue_sign_in_link(Person.objects.get(handle="aa.delegate"))
    path = f"/sign-in/link/{token}"
    assert client.get(path).status_code == 200  # a previewer's GET uses nothing
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(Person.objects.get(handle="aa.delegate").user.pk)
    assert Client().post(path).status_code == 410
    assert Client().get("/sign-in/link/not-a-token").status_code == 410


def test_an_expired_link_is_refused(forum: ForumWorld, client: Client) -> None:
    token = actions.issue_sign_in_link(Person.objects.get(handle="aa.delegate"))
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(f"/sign-in/link/{token}").status_code == 410


def test_a_head_must_add_an_authenticator_before_acting(forum: ForumWorld, client: Client) -> None:
    with_password("cc.head")
    response = client.post("/sign-in", {"handle": "cc.head", "password": "a long demo passphrase"})
    assert response["Location"] == "/account/two-factor"
    path = f"/invitations/{forum.invitation_to_cc}"
    assert client.post(path, {"answer": "accepted"}).status_code == 403
    assert ForumParty.objects.get(code="CC").status == "invited"
    page = client.get("/account/two-factor").content.decode()
    assert "<svg" in page
    device = Authenticator.objects.get(user__username="cc.head")
    # The secret the QR code carries is not in the database: only its sealed form is.
    assert device.bin_key.hex() not in TOTPDevice.objects.get(pk=device.pk).key
    assert client.post("/account/two-factor", {"code": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a failure throttles the device for a second, doubling after
    response = client.post("/account/two-factor", {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    response = forum.act(lambda: client.post(path, {"answer": "accepted"}))
    assert response.status_code == 200
    assert ForumParty.objects.get(code="CC").status == "participating"


def test_a_head_with_an_authenticator_gives_its_code_at_sign_in(
    forum: ForumWorld, client: Client
) -> None:
    user = with_password("cc.head")
    device = authenticators.enrol(user, confirmed=True)
    response = client.post("/sign-in", {"handle": "cc.head", "password": "a long demo passphrase"})
    assert response["Location"] == "/sign-in/code"
    wrong = client.post(
        "/sign-in/code", {"code": "123456" if code_for(device) != "123456" else "654321"}
    )
    assert "not the one your authenticator shows" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failure throttles the device for a second, doubling after
    assert client.post("/sign-in/code", {"code": code_for(device)}).status_code == 302
    response = forum.act(
        lambda: client.post(f"/invitations/{forum.invitation_to_cc}", {"answer": "interested"})
    )
    assert response.status_code == 200


def test_the_demo_log_skips_the_second_factor(db: None, client: Client) -> None:
    demo.build()
    response = client.post("/sign-in", {"handle": "ro.head", "password": "demo-ro.head"})
    assert response.status_code == 200  # no such person: RO has a delegate only
    response = client.post("/sign-in", {"handle": "by.head", "password": "demo-by.head"})
    assert response["Location"] == "/"
    response = client.post("/chair", {"to": "RU"})
    assert response.status_code == 200
    assert Forum.objects.get().chair == "RU"


def test_a_setting_cannot_switch_a_real_forum_into_demo_mode(
    forum: ForumWorld, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_DEMO", "true")
    client.force_login(Person.objects.get(handle="aa.head").user)
    assert client.post("/chair", {"to": "BB"}).status_code == 403
    assert "This is a demo forum" not in client.get("/").content.decode()


def test_a_person_creates_and_revokes_a_token(forum: ForumWorld, client: Client) -> None:
    client.force_login(Person.objects.get(handle="aa.delegate").user)
    page = client.post("/account", {"label": "national system"}).content.decode()
    token = ApiToken.objects.get()
    assert token.label == "national system"
    assert "acc_" in page
    assert token.token_hash not in page
    other = Client()
    other.force_login(Person.objects.get(handle="bb.head").user)
    assert other.post(f"/account/tokens/{token.pk}/revoke").status_code == 403
    assert client.post(f"/account/tokens/{token.pk}/revoke").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_head_without_the_second_factor_cannot_create_tokens(
    forum: ForumWorld, client: Client
) -> None:
    client.force_login(Person.objects.get(handle="aa.head").user)
    assert client.post("/account", {"label": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_pages_that_need_a_person_send_others_to_sign_in(forum: ForumWorld, client: Client) -> None:
    for path in ("/account", "/account/two-factor", "/sign-in/code"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in?next=")


def test_sign_out_needs_post(forum: ForumWorld, client: Client) -> None:
    client.force_login(Person.objects.get(handle="aa.delegate").user)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_in_goes_only_to_this_sites_pages(forum: ForumWorld, client: Client) -> None:
    with_password("aa.delegate")
    credentials = {"handle": "aa.delegate", "password": "a long demo passphrase"}
    response = client.post("/sign-in?next=https://elsewhere.example/x", credentials)
    assert response["Location"] == "/"
    response = client.post("/sign-in?next=/rules", credentials)
    assert response["Location"] == "/rules"


def test_a_token_remembers_whether_its_session_passed_the_second_factor(
    forum: ForumWorld, client: Client
) -> None:
    client.force_login(Person.objects.get(handle="aa.delegate").user)
    client.post("/account", {"label": "script"})
    assert ApiToken.objects.get().second_factor is False
