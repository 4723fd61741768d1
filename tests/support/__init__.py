"""Reusable pytest fixtures (register with `pytest_plugins = ["tests.support.aws"]`)."""
