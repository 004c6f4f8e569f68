"""What can go wrong in a push, as exceptions the CLI turns into one clear line each."""

from __future__ import annotations

__all__ = ["PushError", "PushAuthError", "StoreUnavailable", "PushFailed", "PushVerifyError"]


class PushError(Exception):
    """A push could not be completed."""


class PushAuthError(PushError):
    """The store refused the credentials (HTTP 401 or 403): retrying will not help."""


class StoreUnavailable(PushError):
    """Connection errors or 5xx answers outlasted every retry."""


class PushFailed(PushError):
    """A push stopped part-way; ``landed`` says which batches the store acknowledged.

    ``landed`` lists the 0-based indexes of the batches acknowledged, in this run or an
    earlier one recorded in the journal.
    """

    def __init__(self, message: str, *, landed: list[int], total_batches: int, journal: str | None):
        super().__init__(message)
        self.landed = landed
        self.total_batches = total_batches
        self.journal = journal


class PushVerifyError(PushError):
    """After loading, the store does not hold the expected number of triples in some graphs."""

    def __init__(self, message: str, *, mismatches: dict[str, tuple[int, int]]):
        super().__init__(message)
        self.mismatches = mismatches  # graph -> (expected, found)
