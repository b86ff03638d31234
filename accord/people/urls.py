from django.urls import URLPattern, path

from accord.people import signin

urlpatterns: list[URLPattern] = [
    path("sign-in", signin.sign_in, name="sign-in"),
    path("sign-in/link/<str:token>", signin.sign_in_link, name="sign-in-link"),
    path("sign-in/code", signin.sign_in_code, name="sign-in-code"),
    path("sign-out", signin.sign_out, name="sign-out"),
    path("account", signin.account, name="account"),
    path("account/two-factor", signin.two_factor, name="two-factor"),
    path("account/tokens/<int:token_id>/revoke", signin.revoke_token, name="revoke-token"),
]
