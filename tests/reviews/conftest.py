"""AWS fixtures (moto server) for the sweep worker tests."""
from tests.fixtures.aws import *  # noqa: F401,F403
