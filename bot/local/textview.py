"""Block Kit rendered as plain terminal text, for the `sellerbot` CLI."""

from __future__ import annotations

import json
from typing import Any


def _unescape(text: str) -> str:
    # Slack shows mrkdwn's three escaped characters as themselves; so does the terminal view.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return _unescape(str(obj.get("text", "")))
    return _unescape(str(obj or ""))


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
                lines.append("  " + _text(f).replace("\n", " "))  # "*Label*\nvalue" on one line
            if block.get("accessory", {}).get("type") == "image":
                lines.append(f"[image: {block['accessory'].get('alt_text', '')}]")
            if block.get("accessory", {}).get("type") == "button":  # e.g. /sellerbot accounts' Configure
                e = block["accessory"]
                lines.append(
                    f"  [{_text(e.get('text'))}] (sellerbot click {e.get('action_id')} {e.get('value', '')!r})"
                )
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
        blocks = json.loads(blocks)
    if method.startswith("views.") and params.get("view"):
        return view_to_text(method, params["view"])
    if method in FILE_METHODS:
        return file_call_to_text(method, params)
    body = blocks_to_text(blocks, str(params.get("text", "")))
    if method == "webhook":
        return body
    target = params.get("channel") or params.get("user") or ""
    where = f" in thread {params['thread_ts']}" if params.get("thread_ts") else ""
    return f"[{method} -> {target}{where}]\n{body}"


def view_to_text(method: str, view: Any) -> str:
    """A modal the bot opened: its title, callback_id and inputs (block_id = the field name)."""
    if isinstance(view, str):
        view = json.loads(view)
    title = _text(view.get("title"))
    lines = [f"[{method}] modal {title!r} (callback_id {view.get('callback_id', '')})"]
    for block in view.get("blocks") or []:
        if block.get("type") == "input":
            element = block.get("element") or {}
            optional = " (optional)" if block.get("optional") else ""
            lines.append(
                f"  <input {block.get('block_id', '')}: {_text(block.get('label'))}{optional}, "
                f"{element.get('type', '')}>"
            )
        else:
            lines.append(blocks_to_text([block]))
    return "\n".join(lines)


FILE_METHODS = (
    "files.list",
    "files.info",
    "download",
    "upload",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
)


def file_call_to_text(method: str, params: dict[str, Any]) -> str:
    """File traffic in one line each: what was listed, downloaded or uploaded where."""
    if method == "files.completeUploadExternal":
        files = params.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        titles = ", ".join(str(f.get("title") or f.get("id")) for f in files or [])
        comment = f"\n{params['initial_comment']}" if params.get("initial_comment") else ""
        return f"[file uploaded -> {params.get('channel_id', '')}] {titles}{comment}"
    if method == "upload":
        return f"[upload] {params.get('bytes', 0)} bytes (file {params.get('file_id', '')})"
    if method == "download":
        return f"[download] file {params.get('file_id', params.get('path', ''))}"
    if method == "files.getUploadURLExternal":
        return f"[{method}] {params.get('filename', '')} ({params.get('length', '?')} bytes)"
    return f"[{method}] {params.get('channel') or params.get('file') or ''}".rstrip()
