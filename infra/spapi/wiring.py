"""One SP-API factory per process, from the bot's settings.

The rate limiter is process-wide: every factory in a warm Lambda container (and
every thread of a sweep) draws from the same buckets per (operation, account).
"""

from __future__ import annotations

import threading
from typing import Any

from infra.secrets import credentials_source
from infra.spapi.factory import SpApiFactory
from infra.spapi.limiter import RateLimiter

# Pace 5% under each plan so jitter between us and Amazon does not turn into 429s.
HEADROOM = 0.95
_lock = threading.Lock()
_limiter: RateLimiter | None = None


def shared_limiter() -> RateLimiter:
    global _limiter
    with _lock:
        if _limiter is None:
            _limiter = RateLimiter(headroom=HEADROOM)
        return _limiter


def build_spapi_factory(settings: Any, accounts: Any = None, *, limiter: RateLimiter | None = None) -> SpApiFactory:
    """Factory for `settings` (bot.settings.Settings): secrets source, fake endpoints when set.

    `accounts` is accepted for symmetry with the callers; clients are built per call from
    the AccountConfig they pass.
    """
    return SpApiFactory(
        credentials_source(settings),
        limiter or shared_limiter(),
        endpoint_override=getattr(settings, "spapi_endpoint", None),
        lwa_endpoint_override=getattr(settings, "lwa_endpoint", None),
    )
