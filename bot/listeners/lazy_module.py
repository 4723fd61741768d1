"""Register a listener module's listeners without importing it (issue 16: nothing a request may not need).

Bolt checks every registered listener, in order, for every request, and a module's imports are paid at cold
start by every command. A module whose listeners are rare (`/sellerbot accounts`, its buttons and modal) is
declared here as `Route`s: Bolt gets stand-ins with the real listeners' names (Bolt re-invokes a lazy listener
by its name), and the first request that reaches one imports the module and records what its own
`register(app, deps)` registers, through `Recorder`, which stands in for the App. The stand-ins then pass each
real listener the arguments it names. tests/unit/bot/test_lazy_routes.py keeps the declared routes equal to
what the module registers.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from slack_bolt import App
from slack_bolt.kwargs_injection.args import Args

from bot.deps import Deps
from bot.listeners.routing import OnlyIf, only_if

Kind = Literal["command", "action", "view"]


@dataclass(frozen=True)
class Route:
    """One listener: `app.<kind>(key, middleware=only_if(test))(ack=<ack>, lazy=[<lazy>...])`."""

    kind: Kind
    key: str
    ack: str
    lazy: tuple[str, ...] = ()
    test: Callable[[dict], bool] | None = field(default=None, compare=False)


@dataclass
class Recorder:
    """What a listener module's `register(app, deps)` registers, by listener name, with the App left out."""

    routes: list[Route] = field(default_factory=list)
    by_name: dict[str, Callable[..., Any]] = field(default_factory=dict)
    tests: list[Callable[[dict], bool] | None] = field(default_factory=list)

    def command(self, key: str, middleware: Sequence[Any] | None = None) -> Callable[..., Any]:
        return self._listener("command", key, middleware)

    def action(self, key: str, middleware: Sequence[Any] | None = None) -> Callable[..., Any]:
        return self._listener("action", key, middleware)

    def view(self, key: str, middleware: Sequence[Any] | None = None) -> Callable[..., Any]:
        return self._listener("view", key, middleware)

    def _listener(self, kind: Kind, key: str, middleware: Sequence[Any] | None) -> Callable[..., Any]:
        tests = [m.test for m in middleware or () if isinstance(m, OnlyIf)]

        def register(*functions: Callable[..., Any], ack: Callable[..., Any] | None = None, lazy: Sequence[Any] = ()):
            first = ack or functions[0]
            for fn in (first, *lazy):
                self.by_name[fn.__name__] = fn
            self.routes.append(Route(kind, key, first.__name__, tuple(fn.__name__ for fn in lazy)))
            self.tests.append(tests[0] if tests else None)
            return first

        return register


@cache
def _wanted(fn: Callable[..., Any]) -> tuple[str, ...]:
    return tuple(inspect.signature(fn).parameters)


def register_lazily(app: App, deps: Deps, module: str, routes: Sequence[Route]) -> None:
    """Register `routes` on `app`; `module`'s own `register(app, deps)` runs on the first request that needs it."""
    recorded: list[Recorder] = []
    lock = threading.Lock()

    def listeners() -> dict[str, Callable[..., Any]]:
        with lock:  # Bolt may run a lazy listener in a thread while another request acks
            if not recorded:
                recorder = Recorder()
                importlib.import_module(module).register(recorder, deps)
                recorded.append(recorder)
        return recorded[0].by_name

    for route in routes:
        middleware = only_if(route.test) if route.test else None
        target = getattr(app, route.kind)(route.key, middleware=middleware)
        target(ack=stand_in(route.ack, listeners), lazy=[stand_in(name, listeners) for name in route.lazy])


def stand_in(name: str, listeners: Callable[[], Mapping[str, Callable[..., Any]]]) -> Callable[..., Any]:
    """A listener named `name` (Bolt re-invokes lazy listeners by name) that takes Bolt's `args` and calls
    `listeners()[name]` with the arguments it names; `listeners` imports the real module on its first call."""

    def call(args: Args) -> Any:
        real = listeners()[name]
        return real(**{param: getattr(args, param) for param in _wanted(real)})

    call.__name__ = call.__qualname__ = name
    return call


def record(module: str, deps: Deps) -> Recorder:
    """What `module` registers (for the test that keeps the declared routes equal)."""
    recorder = Recorder()
    importlib.import_module(module).register(recorder, deps)
    return recorder
