"""Block Kit building blocks shared by every feature's renderer."""
from __future__ import annotations

from typing import Any

Block = dict[str, Any]

# Slack's own limits (reference: slack-on-lambda.md §3).
SECTION_TEXT_LIMIT = 3000
MAX_BLOCKS = 50


def clip(text: str, limit: int = SECTION_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so user text cannot inject mentions or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text)}}


def sections(lines: list[str], limit: int = SECTION_TEXT_LIMIT - 100) -> list[Block]:
    """Lines packed into as few section blocks as Slack's per-section text limit allows."""
    blocks: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(c) + 1 for c in chunk) + len(line) > limit:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 2000)}]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, 150)}}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, 75)},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def message(text: str, blocks: list[Block] | None = None, *, ephemeral: bool = True) -> dict[str, Any]:
    """Keyword arguments for `respond()` / a response_url post."""
    payload: dict[str, Any] = {"text": clip(text, 3000), "response_type": "ephemeral" if ephemeral else "in_channel"}
    if blocks:
        payload["blocks"] = blocks[:MAX_BLOCKS]
    return payload


def error(text: str, usage: str | None = None) -> dict[str, Any]:
    blocks = [section(f":warning: {text}")]
    if usage:
        blocks.append(context("Usage:\n```" + usage + "```"))
    return message(f"Error: {text}" + (f"\nUsage: {usage}" if usage else ""), blocks)
