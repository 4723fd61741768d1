"""Moved to infra.spapi.factory: `build_spapi_factory`, `shared_limiter` and `HEADROOM` live there now.

This module only re-exports them until the last callers import from infra.spapi.factory
(bot/deps.py, bot/cli/review.py, bot/local/load.py, bot/local/environment.py's LAZY_IMPORTS,
bench/sweep.py); then delete it.
"""

from infra.spapi.factory import HEADROOM, build_spapi_factory, shared_limiter

__all__ = ["HEADROOM", "build_spapi_factory", "shared_limiter"]
