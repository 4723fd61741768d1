"""Until tests/conftest.py registers tests.fixtures.aws as a plugin, import its fixtures here."""

from tests.fixtures.aws import *  # noqa: F403
