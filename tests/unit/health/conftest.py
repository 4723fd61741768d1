"""Health fixtures and Amazon example loaders (tests/support/health.py)."""

from tests.support.health import *  # noqa: F403
