"""bot/listeners/common.py user_facing: a lazy listener's failure reaches the user as a sentence with a
reference, never as the exception's name or text (issue 17 item 7)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.listeners.common import user_facing


def test_a_failure_is_told_without_the_exception() -> None:
    said: list[dict[str, Any]] = []

    @user_facing
    def run_something(respond: Any) -> None:
        raise KeyError("internal_field_name")

    with pytest.raises(KeyError):
        run_something(respond=lambda **payload: said.append(payload))
    text = said[0]["text"]
    assert "KeyError" not in text and "internal_field_name" not in text
    assert "Try again" in text and "reference `" in text
