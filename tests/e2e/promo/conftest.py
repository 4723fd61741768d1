"""Promo fixtures (tests/support/promo.py)."""

from tests.support.promo import *  # noqa: F403
