"""Block Kit building blocks shared by every feature's renderer, and the one guard that keeps what
the bot sends inside Slack's documented limits.

`fit()` (messages: chat.postMessage/update/postEphemeral kwargs, ack and response_url bodies) and
`fit_view()` (modals) never fail: they clip text with "…", split a section's fields into several
sections, cap element lists, and replace blocks past Slack's block limit with one context line
saying how many more there were and where to see them. `message()` runs every reply through
`fit()`, so a builder only has to call it itself for kwargs it hands to the Web API directly.
The limits are repeated here on purpose rather than imported from the fake Slack: the fake stands
for Slack, and a wrong number must not agree with itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Block = dict[str, Any]

# ---- Slack's documented limits ------------------------------------------------------------------
MAX_BLOCKS = 50  # https://api.slack.com/reference/block-kit/blocks ("up to 50 blocks in each message")
VIEW_MAX_BLOCKS = 100  # same page: "and 100 blocks in modals or Home tabs"
SECTION_TEXT_LIMIT = 3000  # https://api.slack.com/reference/block-kit/blocks#section (text: 3000 characters)
FIELDS_PER_SECTION = 10  # same: "fields … Maximum number of items is 10"
FIELD_TEXT_LIMIT = 2000  # same: "Maximum length for the text in each item is 2000 characters"
TEXT_OBJECT_LIMIT = 3000  # https://api.slack.com/reference/block-kit/composition-objects#text (1..3000)
HEADER_TEXT_LIMIT = 150  # https://api.slack.com/reference/block-kit/blocks#header
CONTEXT_ELEMENTS_LIMIT = 10  # https://api.slack.com/reference/block-kit/blocks#context
ACTIONS_ELEMENTS_LIMIT = 25  # https://api.slack.com/reference/block-kit/blocks#actions
ID_LIMIT = 255  # block_id (every block) and action_id (https://api.slack.com/reference/block-kit/block-elements#button)
BUTTON_TEXT_LIMIT = 75  # https://api.slack.com/reference/block-kit/block-elements#button
BUTTON_VALUE_LIMIT = 2000  # same
URL_LIMIT = 3000  # same
PLACEHOLDER_LIMIT = 150  # https://api.slack.com/reference/block-kit/block-elements (placeholder)
OPTION_TEXT_LIMIT = 75  # https://api.slack.com/reference/block-kit/composition-objects#option
OPTION_VALUE_LIMIT = 150  # same
SELECT_OPTIONS_LIMIT = 100  # https://api.slack.com/reference/block-kit/block-elements#static_select
CHOICE_OPTIONS_LIMIT = 10  # checkboxes and radio_buttons, same page
INPUT_LABEL_LIMIT = 2000  # https://api.slack.com/reference/block-kit/blocks#input (label, hint)
VIEW_TITLE_LIMIT = 24  # https://api.slack.com/reference/surfaces/views (title, submit, close)
PRIVATE_METADATA_LIMIT = 3000  # same page
# Top-level `text`: Slack truncates past 40,000 characters (with a `message_truncated` warning) and asks
# for messages under 4,000 (https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
MESSAGE_TEXT_LIMIT = 4000
# Slack also refuses a message whose blocks hold too much text in total (`msg_blocks_too_long`), at a
# threshold it does not document: accepted with 9,597 characters of block text, refused with 11,341
# (https://github.com/slackapi/bolt-js/issues/2867, #2509: "12,000 text characters with a buffer for block
# containers"). The bot keeps a message's block text under this budget, with a margin.
BLOCK_TEXT_BUDGET = 9000
ELLIPSIS = "…"


def clip(text: str, limit: int = SECTION_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so user text cannot inject mentions or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# What Slack issues as user, user-group and channel ids (U0ALICE, W123, S0OPS, C0ALERTS): only these become
# mentions, so a value from a store or a payload cannot smuggle `<!channel>` or a link into a message.
_SLACK_ID = re.compile(r"[A-Z0-9]+")


def is_slack_id(value: str | None) -> bool:
    return bool(value) and _SLACK_ID.fullmatch(value or "") is not None


def mention(user_id: str | None) -> str:
    """`<@U…>` for a Slack user id; anything else is shown as (escaped) plain text."""
    return f"<@{user_id}>" if is_slack_id(user_id) else escape(user_id or "someone")


def group_mention(group_id: str | None) -> str:
    """`<!subteam^S…>` for a user group id; without one, `<!here>`; anything else as (escaped) plain text."""
    if not group_id:
        return "<!here>"
    return f"<!subteam^{group_id}>" if is_slack_id(group_id) else escape(group_id)


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text)}}


def sections(
    lines: Iterable[str], limit: int = SECTION_TEXT_LIMIT - 100, *, budget: int | None = None, more: str = ""
) -> list[Block]:
    """Lines packed into as few section blocks as Slack's per-section text limit allows.

    With `budget`, lines stop once that many characters are shown, and a context line says how
    many more there were (and `more`: where to see them all).
    """
    lines = list(lines)
    blocks: list[Block] = []
    chunk: list[str] = []
    shown = 0
    for n, line in enumerate(lines):
        if budget is not None and shown + len(line) > budget and (blocks or chunk):
            if chunk:
                blocks.append(section("\n".join(chunk)))
            rest = len(lines) - n
            blocks.append(context(f"…and {rest} more not shown" + (f"; {more}" if more else ".")))
            return blocks
        if chunk and sum(len(c) + 1 for c in chunk) + len(line) > limit:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
        shown += len(line) + 1
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, 2000)}]}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_TEXT_LIMIT)}}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, BUTTON_TEXT_LIMIT)},
        "action_id": action_id[:ID_LIMIT],
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id[:ID_LIMIT]
    return block


def message(text: str, blocks: list[Block] | None = None, *, ephemeral: bool = True, more: str = "") -> dict[str, Any]:
    """Keyword arguments for `respond()` / a response_url post / an ack, inside Slack's limits."""
    payload: dict[str, Any] = {"text": text, "response_type": "ephemeral" if ephemeral else "in_channel"}
    if blocks:
        payload["blocks"] = blocks
    return fit(payload, more=more)


def error(text: str, usage: str | None = None) -> dict[str, Any]:
    blocks = [section(f":warning: {text}")]
    if usage:
        blocks.append(context("Usage:\n```" + usage + "```"))
    return message(f"Error: {text}" + (f"\nUsage: {usage}" if usage else ""), blocks)


# ---- the guard ----------------------------------------------------------------------------------
def fit(payload: dict[str, Any], *, more: str = "") -> dict[str, Any]:
    """A copy of message kwargs ({"text", "blocks", …}) that Slack accepts: text clipped to
    MESSAGE_TEXT_LIMIT, blocks clamped to every per-block limit, at most MAX_BLOCKS blocks and at
    most BLOCK_TEXT_BUDGET characters of block text. `more` says where the rest can be seen."""
    out = dict(payload)
    if isinstance(out.get("text"), str):
        out["text"] = clip(out["text"], MESSAGE_TEXT_LIMIT)
    if out.get("blocks"):
        out["blocks"] = fit_blocks(out["blocks"], more=more)
    return out


def fit_blocks(
    blocks: list[Block], *, limit: int = MAX_BLOCKS, budget: int | None = BLOCK_TEXT_BUDGET, more: str = ""
) -> list[Block]:
    clamped = [fitted for block in blocks for fitted in _fit_block(block)]
    clamped = _cap_count(clamped, limit, more)
    if budget is not None:
        _share_budget(clamped, budget)
    return clamped


def fit_view(view: dict[str, Any], *, more: str = "") -> dict[str, Any]:
    """A copy of a modal / Home tab view that Slack accepts (title, buttons, metadata, ≤ 100 blocks)."""
    out = dict(view)
    for key in ("title", "submit", "close"):
        if isinstance(out.get(key), dict):
            out[key] = _text_obj(out[key], VIEW_TITLE_LIMIT)
    if isinstance(out.get("private_metadata"), str) and len(out["private_metadata"]) > PRIVATE_METADATA_LIMIT:
        raise ValueError("private_metadata over Slack's 3000 characters: cutting it would corrupt it")
    if isinstance(out.get("callback_id"), str):
        out["callback_id"] = out["callback_id"][:ID_LIMIT]
    out["blocks"] = fit_blocks(out.get("blocks") or [], limit=VIEW_MAX_BLOCKS, budget=None, more=more)
    return out


def _more_note(hidden: int, more: str) -> Block:
    where = more or "the rest did not fit in one Slack message"
    return context(f"…and {hidden} more not shown; {where}")


def _cap_count(blocks: list[Block], limit: int, more: str) -> list[Block]:
    """At most `limit` blocks: the last slot says how many more there were. Buttons at the end
    (an actions block after the cut) are kept, so a long message still has its buttons."""
    if len(blocks) <= limit:
        return blocks
    tail_actions = [b for b in blocks[limit - 1 :] if b.get("type") == "actions"][: max(0, limit - 2)]
    keep = limit - 1 - len(tail_actions)
    hidden = len(blocks) - keep - len(tail_actions)
    return [*blocks[:keep], _more_note(hidden, more), *tail_actions]


def _text_slots(blocks: list[Block]) -> list[dict[str, Any]]:
    """The text objects whose length counts towards a message's block text."""
    slots: list[dict[str, Any]] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("section", "header") and isinstance(block.get("text"), dict):
            slots.append(block["text"])
        if kind == "section":
            slots += [f for f in block.get("fields") or [] if isinstance(f, dict)]
        if kind == "context":
            slots += [e for e in block.get("elements") or [] if isinstance(e, dict) and "text" in e]
    return slots


def _share_budget(blocks: list[Block], budget: int) -> None:
    """Clip the longest texts (in place) until the total is within `budget`: every block keeps some
    of its text, the buttons stay, and short texts are not touched."""
    slots = _text_slots(blocks)
    sizes = [len(s.get("text") or "") for s in slots]
    if sum(sizes) <= budget:
        return
    low, high = 1, max(sizes)  # the largest per-text cap that fits the budget
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(size, cap) for size in sizes) <= budget:
            low = cap
        else:
            high = cap - 1
    for slot, size in zip(slots, sizes, strict=False):
        if size > low:
            slot["text"] = clip(slot["text"], max(low, 2))


def _text_obj(obj: Any, limit: int) -> Any:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return obj
    text = clip(obj["text"], min(limit, TEXT_OBJECT_LIMIT)) or "-"  # Slack refuses an empty text object
    return {**obj, "text": text}


def _option(opt: Any) -> Any:
    if not isinstance(opt, dict):
        return opt
    out = dict(opt)
    if "text" in out:
        out["text"] = _text_obj(out["text"], OPTION_TEXT_LIMIT)
    if isinstance(out.get("value"), str):
        out["value"] = out["value"][:OPTION_VALUE_LIMIT]
    return out


def _element(el: Any) -> Any:
    if not isinstance(el, dict):
        return el
    out = dict(el)
    kind = out.get("type")
    if isinstance(out.get("action_id"), str):
        out["action_id"] = out["action_id"][:ID_LIMIT]
    if "placeholder" in out:
        out["placeholder"] = _text_obj(out["placeholder"], PLACEHOLDER_LIMIT)
    if kind == "button":
        out["text"] = _text_obj(out.get("text"), BUTTON_TEXT_LIMIT)
        if isinstance(out.get("value"), str):
            out["value"] = out["value"][:BUTTON_VALUE_LIMIT]
        if isinstance(out.get("url"), str):
            out["url"] = out["url"][:URL_LIMIT]
    if isinstance(out.get("options"), list):
        limit = CHOICE_OPTIONS_LIMIT if kind in ("checkboxes", "radio_buttons", "overflow") else SELECT_OPTIONS_LIMIT
        out["options"] = [_option(o) for o in out["options"][:limit]]
    if "initial_option" in out:
        out["initial_option"] = _option(out["initial_option"])
    if kind in ("mrkdwn", "plain_text"):  # a text object as a context element
        out = _text_obj(out, TEXT_OBJECT_LIMIT)
    return out


def _fit_section(out: Block) -> list[Block]:
    """A section (a copy) within its limits: more than 10 fields become several sections, and a section
    with nothing to show disappears (Slack refuses empty text)."""
    if "accessory" in out:
        out["accessory"] = _element(out["accessory"])
    text = out.get("text")
    if isinstance(text, dict) and not (text.get("text") or "").strip():
        out.pop("text")
    elif isinstance(text, dict):
        out["text"] = _text_obj(text, SECTION_TEXT_LIMIT)
    fields = [
        _text_obj(f, FIELD_TEXT_LIMIT)
        for f in out.get("fields") or []
        if not (isinstance(f, dict) and not (f.get("text") or "").strip())
    ]
    out.pop("fields", None)
    if fields:
        out["fields"] = fields[:FIELDS_PER_SECTION]
    if "text" not in out and "fields" not in out:
        return []
    extra = [
        {"type": "section", "fields": fields[i : i + FIELDS_PER_SECTION]}
        for i in range(FIELDS_PER_SECTION, len(fields), FIELDS_PER_SECTION)
    ]
    return [out, *extra]


def _fit_block(block: Block) -> list[Block]:
    """One block within its limits; a section with more than 10 fields becomes several sections,
    and a section with nothing to show disappears (Slack refuses empty text)."""
    if not isinstance(block, dict):
        return [block]
    out = dict(block)
    if isinstance(out.get("block_id"), str):
        out["block_id"] = out["block_id"][:ID_LIMIT]
    kind = out.get("type")
    if kind == "section":
        return _fit_section(out)
    if kind == "header":
        out["text"] = _text_obj(out.get("text"), HEADER_TEXT_LIMIT)
    elif kind == "context":
        elements = [
            e
            for e in out.get("elements") or []
            if not (isinstance(e, dict) and "text" in e and not (e.get("text") or "").strip())
        ]
        if not elements:
            return []
        out["elements"] = [_element(e) for e in elements[:CONTEXT_ELEMENTS_LIMIT]]
    elif kind == "actions":
        out["elements"] = [_element(e) for e in (out.get("elements") or [])[:ACTIONS_ELEMENTS_LIMIT]]
        if not out["elements"]:
            return []
    elif kind == "input":
        out["label"] = _text_obj(out.get("label"), INPUT_LABEL_LIMIT)
        if "hint" in out:
            out["hint"] = _text_obj(out["hint"], INPUT_LABEL_LIMIT)
        out["element"] = _element(out.get("element"))
    return [out]
