"""The charter's pages under ``/charter/``; the names of the act pages are the contracts
``accord.charter.acts`` declares (``charter-amend`` …), each taking its act's POST."""

from django.urls import URLPattern, path

from accord.charter import views

urlpatterns: list[URLPattern] = [
    path("charter/", views.documents, name="charter-documents"),
    path("charter/introduce", views.introduce, name="charter-introduce"),
    path("charter/decisions/", views.decisions, name="charter-decisions"),
    path("charter/decisions/<int:decision>/", views.decision, name="charter-decision"),
    path("charter/decisions/<int:decision>/interpret", views.interpret, name="charter-interpret"),
    path("charter/amendments/<int:amendment>/", views.amendment, name="charter-amendment"),
    path("charter/amendments/<int:amendment>/cosponsor", views.cosponsor, name="charter-cosponsor"),
    path("charter/amendments/<int:amendment>/position", views.position, name="charter-position"),
    path("charter/amendments/<int:amendment>/withdraw", views.withdraw, name="charter-withdraw"),
    path("charter/silence/<int:procedure>/", views.procedure, name="charter-procedure"),
    path("charter/silence/<int:procedure>/break", views.break_silence, name="charter-break"),
    path("charter/silence/<int:procedure>/conclude", views.conclude, name="charter-conclude"),
    path("charter/<int:document>/", views.document, name="charter-document"),
    path("charter/<int:document>/export.<str:fmt>", views.export, name="charter-export"),
    path("charter/<int:document>/amend", views.amend, name="charter-amend"),
    path("charter/<int:document>/translate", views.translate, name="charter-translate"),
    path("charter/<int:document>/silence", views.silence, name="charter-silence"),
    path("charter/<int:document>/positions/", views.positions, name="charter-positions"),
    path("charter/<int:document>/revisions/", views.revisions, name="charter-revisions"),
    path("charter/<int:document>/revise", views.revise, name="charter-revise"),
    path("charter/<int:document>/diff/", views.revision_diff, name="charter-diff"),
]
