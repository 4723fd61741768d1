"""The fake SP-API seeded with exact orders, moto fixtures (tests/support/reviews.py)."""

from tests.support.reviews import *  # noqa: F403
