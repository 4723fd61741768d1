"""Fault injection for the fake SP-API: the next N matching requests fail in a chosen way.

A plain kind answers instead of the operation (nothing happens at "Amazon"). A kind prefixed
`accept_then_` (e.g. "accept_then_status:502", "accept_then_timeout") lets the operation run and take
effect, then loses its answer the plain kind's way: Amazon accepted, the caller cannot know it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

SIMPLE_KINDS = ("throttle_429", "empty_500", "timeout", "malformed_json")
_STATUS_KIND = re.compile(r"^status:(\d{3})$")
ACCEPT_THEN = "accept_then_"


def validate_kind(kind: str) -> str:
    plain = kind.removeprefix(ACCEPT_THEN)
    if plain in SIMPLE_KINDS:
        return kind
    match = _STATUS_KIND.match(plain)
    if match and 400 <= int(match.group(1)) <= 599:
        return kind
    raise ValueError(
        f"Unknown fault kind {kind!r}: use one of {', '.join(SIMPLE_KINDS)} or 'status:<400-599>', "
        f"optionally prefixed {ACCEPT_THEN!r} (the operation takes effect, its answer is lost)."
    )


def split_kind(kind: str) -> tuple[str, bool]:
    """(the plain kind, whether the operation runs first and only its answer is replaced)."""
    return kind.removeprefix(ACCEPT_THEN), kind.startswith(ACCEPT_THEN)


@dataclass
class Fault:
    match: str  # an operation id ("getOrders") or a path prefix ("/orders/v0/")
    kind: str
    remaining: int

    def applies(self, operation: str, path: str) -> bool:
        return self.match == operation or (self.match.startswith("/") and path.startswith(self.match))


class Faults:
    """Thread-safe queue of pending faults; the first matching fault wins, in order of addition."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, operation_or_path_prefix: str, kind: str, times: int = 1) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        if not operation_or_path_prefix:
            raise ValueError("a fault needs an operation id (e.g. 'getOrders') or a path prefix starting with '/'")
        with self._lock:
            self._faults.append(Fault(operation_or_path_prefix, validate_kind(kind), times))

    def take(self, operation: str, path: str) -> str | None:
        with self._lock:
            for fault in self._faults:
                if fault.applies(operation, path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault.kind
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return [Fault(f.match, f.kind, f.remaining) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
