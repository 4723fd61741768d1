"""Slash-command catalogue: what `/sellerbot help` lists and what errors quote.

Feature modules declare their commands here at import time, so help and
usage errors can never drift from what is registered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    command: str  # "/promo"
    usage: str  # "/promo new CODE 20% ASIN1,ASIN2 2026-12-01..2026-12-15"
    summary: str


class UsageError(Exception):
    """Bad arguments to a command: shown to the user with the command's usage."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage


CATALOGUE: dict[str, CommandSpec] = {}


def declare(spec: CommandSpec) -> CommandSpec:
    CATALOGUE[f"{spec.command} {spec.usage}"] = spec
    return spec


def usage_for(command: str) -> str:
    lines = [s.usage for s in CATALOGUE.values() if s.command == command]
    return "\n".join(lines)
