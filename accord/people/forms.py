"""The sign-in and account forms; their labels are the interface's, so translated."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignInForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=40)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        label=_("Six-digit code from your authenticator"),
        error_messages={"invalid": _("Enter the six digits your authenticator shows.")},
    )


class TokenForm(forms.Form):
    label = forms.CharField(label=_("What the token is for"), max_length=100)
