"""Until tests/conftest.py registers tests.support.aws as a plugin, import its fixtures here."""

from tests.support.aws import *  # noqa: F403
