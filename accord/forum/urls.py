from django.urls import URLPattern, path

from accord.forum import views, witness_pages

urlpatterns: list[URLPattern] = [
    path("", views.home, name="forum-home"),
    path("parties/<str:code>", views.party, name="forum-party"),
    path("invitations", views.invitations, name="forum-invitations"),
    path("invitations/<int:entry>", views.invitation, name="forum-invitation"),
    path("join", views.join, name="forum-join"),
    path("leave", views.leave, name="forum-leave"),
    path("chair", views.chair, name="forum-chair"),
    path("people", views.people, name="forum-people"),
    path("people/add", views.add_person, name="forum-add-person"),
    path("people/<str:handle>/withdraw", views.withdraw, name="forum-withdraw"),
    path(
        "people/<str:handle>/second-factor/reset",
        views.reset_second_factor,
        name="forum-reset-second-factor",
    ),
    path("people/<str:handle>/deactivate", views.deactivate, name="forum-deactivate"),
    path("rules", views.rules, name="forum-rules"),
    path("description", views.describe, name="forum-describe"),
    path("rules/proposals", views.propose_profile, name="forum-profile-propose"),
    path("rules/proposals/<int:entry>/agree", views.agree_profile, name="forum-profile-agree"),
    path("rules/proposals/<int:entry>/adopt", views.adopt_profile, name="forum-profile-adopt"),
    path("witnesses", witness_pages.witnesses, name="forum-witnesses"),
    path("witnesses/register", witness_pages.register, name="witness-register"),
    path("witnesses/remove", witness_pages.remove, name="witness-remove"),
]
