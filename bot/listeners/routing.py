"""Cheap sub-routing for listeners that share a command (`/promo list`, `/health check`, …).

Bolt wraps each custom `matchers=[f]` in a matcher that first builds every argument a listener could
take (`build_required_kwargs`: the client, say, respond, payload views…), about as much work again as
the ack itself. A listener middleware receives the request as is, and Bolt's dispatch reads a listener
middleware that does not call `next()` as "this listener is not for the request" and tries the next
one, so the same routing costs one function call on the payload.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse


class OnlyIf(Middleware):
    """Let the listener run only when `test(body)` holds."""

    def __init__(self, test: Callable[[dict], bool]) -> None:
        self.test = test

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        if self.test(req.body):
            next()
            return resp
        return None


def only_if(test: Callable[[dict], bool]) -> list[Middleware]:
    """The `middleware=` argument that routes a listener on its payload: `app.command("/x", middleware=only_if(f))`."""
    return [OnlyIf(test)]
