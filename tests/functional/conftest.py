"""Moto in server mode, over real HTTP, for every functional test (tests/support/aws.py)."""

from tests.support.aws import *  # noqa: F403
