from django.urls import path, re_path

from accord.ledger import explorer, state_digest, views

urlpatterns = [
    path("explorer/", explorer.explorer, name="explorer"),
    path("explorer/<int:index>", explorer.entry, name="explorer-entry"),
    path("explorer/checkpoint", explorer.checkpoint, name="explorer-checkpoint"),
    path("explorer/checkpoint/<int:size>", explorer.checkpoint, name="explorer-checkpoint-at"),
    path("log/key", views.key, name="log-key"),
    path("log/checkpoint", views.checkpoint, name="log-checkpoint"),
    path("log/witness-policy", views.witness_policy, name="log-witness-policy"),
    re_path(r"^log/tile/(?P<path>[0-9a-z./]+)$", views.tile, name="log-tile"),
    path("log/entry/<int:index>", views.entry, name="log-entry"),
    path("log/proof/consistency/<int:old>/<int:new>", views.consistency, name="log-consistency"),
    path("log/receipt/<int:index>", views.receipt, name="log-receipt"),
    path("log/blob/<str:sha256>", views.blob, name="log-blob"),
    path("log/state-digest", state_digest.served, name="log-state-digest"),
]
