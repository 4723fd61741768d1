"""Shared pieces of the reliability suite (tests/support/reliability.py)."""

from tests.support.reliability import *  # noqa: F403
