"""The ledger: signed statements in a Merkle log, and the projections built from them."""

from accord.ledger.errors import Rejected

__all__ = ["Rejected"]
