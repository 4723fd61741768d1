"""Helpers every listener module shares."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, Respond

from bot.commands import UsageError
from bot.views import kit

log = logging.getLogger("sellerbot.listeners")
T = TypeVar("T")


def parsed_or_refused(ack: Ack, parse: Callable[[str], T], command: dict) -> T | None:
    """Parse in the ack; a usage error is the ack's answer (and None is returned)."""
    try:
        return parse(command.get("text", ""))
    except UsageError as exc:
        ack(**kit.error(exc.message, exc.usage))
        return None


def parsed_again(parse: Callable[[str], T], command: dict) -> T | None:
    """Re-parse in a lazy listener; None when the ack already showed the usage error.

    Bolt runs lazy listeners even when the ack refused the command.
    """
    try:
        return parse(command.get("text", ""))
    except UsageError:
        return None


def slack_error_data(exc: Exception) -> dict[str, Any]:
    """The body of a SlackApiError (its `error` names the reason); {} for other exceptions."""
    return getattr(getattr(exc, "response", None), "data", {}) or {}


def slack_error(exc: Exception) -> str:
    """Slack's reason for a failed call, else the exception's type name."""
    return str(slack_error_data(exc).get("error", type(exc).__name__))


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
                respond(**kit.error(exc.message, exc.usage))
        except Exception as exc:
            ref = uuid.uuid4().hex[:8]
            log.error("lazy listener %s failed (ref %s): %s", fn.__name__, ref, type(exc).__name__)
            if respond:
                # The exception's name is for the log (with the reference), not for the user.
                respond(
                    **kit.error(
                        "sellerbot could not finish this. Try again in a minute; if it keeps failing, give your "
                        f"admin the reference `{ref}` (the logs have the details under it)."
                    )
                )
            raise

    return wrapper
