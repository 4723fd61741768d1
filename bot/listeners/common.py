"""Helpers every listener module shares."""
from __future__ import annotations

import functools
import logging
import uuid
from typing import Any, Callable

from slack_bolt import Respond

from bot import render
from bot.commands import UsageError

log = logging.getLogger("sellerbot.listeners")


def user_facing(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a lazy listener's failure into a message the user sees, never a silent drop.

    The function keeps its own name: Bolt finds lazy listeners by name.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        respond: Respond | None = kwargs.get("respond")
        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            if respond:
                respond(**render.error(exc.message, exc.usage))
        except Exception as exc:  # noqa: BLE001 - reported to the user with a reference
            ref = uuid.uuid4().hex[:8]
            log.error("lazy listener %s failed (ref %s): %s", fn.__name__, ref, type(exc).__name__)
            if respond:
                respond(**render.error(f"Something went wrong ({type(exc).__name__}); reference `{ref}`. Try again."))
            raise

    return wrapper
