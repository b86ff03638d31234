"""One OpenAPI document assembled from each app's ``api.py`` router."""

from ninja import NinjaAPI

from accord.forum.api import router as forum_router
from accord.ledger.api import router as ledger_router
from accord.ledger.restricted_api import router as restricted_router

api = NinjaAPI(
    title="Accord",
    version="1",
    description="Signed statements in, receipts and refusals out; the forum's public record.",
    urls_namespace="api",
)
api.add_router("/", ledger_router)
api.add_router("/", forum_router)
api.add_router("/", restricted_router)
