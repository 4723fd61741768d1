"""Block Kit rendered as plain terminal text, for the `sellerbot` CLI."""
from __future__ import annotations

from typing import Any


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return str(obj or "")


def blocks_to_text(blocks: list[dict[str, Any]] | None, fallback: str = "") -> str:
    if not blocks:
        return fallback
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {_text(block.get('text'))} ==")
        elif kind == "section":
            if block.get("text"):
                lines.append(_text(block["text"]))
            for f in block.get("fields") or []:
                lines.append("  " + _text(f))
            if block.get("accessory", {}).get("type") == "image":
                lines.append(f"[image: {block['accessory'].get('alt_text', '')}]")
        elif kind == "context":
            lines.append("  " + " ".join(_text(e) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("-" * 40)
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "actions":
            buttons = [
                f"[{_text(e.get('text'))}] (sellerbot click {e.get('action_id')} {e.get('value', '')!r})"
                for e in block.get("elements", [])
            ]
            lines.append("  " + "\n  ".join(buttons))
        elif kind == "input":
            lines.append(f"<input: {_text(block.get('label'))}>")
    return "\n".join(lines)


def call_to_text(method: str, params: dict[str, Any]) -> str:
    blocks = params.get("blocks")
    if isinstance(blocks, str):
        import json

        blocks = json.loads(blocks)
    body = blocks_to_text(blocks, str(params.get("text", "")))
    if method == "webhook":
        return body
    target = params.get("channel") or params.get("user") or ""
    where = f" in thread {params['thread_ts']}" if params.get("thread_ts") else ""
    return f"[{method} -> {target}{where}]\n{body}"
