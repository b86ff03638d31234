"""The conference's API routes (being written)."""

from ninja import Router

router = Router(tags=["conference"])
