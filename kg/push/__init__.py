"""Load the graph into a SPARQL store: Graph Store HTTP Protocol or SPARQL 1.1 Update.

`push` cuts each named graph into deterministic batches (`kg.push.batches`), sends them
with retries (`kg.push.client`) by one of two protocols (`kg.push.protocols`) to the
endpoints of a store profile (`kg.push.profiles`), records each acknowledged batch in a
journal so a failed push resumes (`kg.push.journal`), and checks the triple counts per
graph at the end (`kg.push.verify`).
"""

from kg.push.errors import PushAuthError, PushError, PushFailed, PushVerifyError, StoreUnavailable
from kg.push.profiles import PROFILES, StoreProfile, get_profile
from kg.push.protocols import PROTOCOLS
from kg.push.pusher import PushReport, push

__all__ = [
    "push", "PushReport", "PROFILES", "PROTOCOLS", "StoreProfile", "get_profile",
    "PushError", "PushAuthError", "PushFailed", "PushVerifyError", "StoreUnavailable",
]
