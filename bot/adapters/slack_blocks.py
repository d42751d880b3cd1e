"""Reply → Slack Block Kit, inside Slack's limits.

Slack rejects a message with more than 50 blocks, a text object over 3,000 characters or
roughly 13k characters of blocks, so a long reply is packed into several messages rather
than truncated. Every text that reaches Slack is escaped (``&``, ``<``, ``>``): handler
output echoes user input and report text, and nothing in it may become ``<!channel>`` or a
link. The only markup we emit ourselves is bold, code fences and a validated ``<@user>``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import messages as M
from bot.replies import Action, Reply, Table
from handlers.render_text import render as render_text
from handlers.render_text import render_table

MAX_BLOCKS = 50
MAX_TEXT = 3000  # one section text
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10  # per section
# Field text of one section: with the tail and a "continued" line beside it, one section
# always fits a message (ten fields of 2,000 characters would be one unsplittable block
# over the message budget).
MAX_FIELDS_CHARS = 2 * MAX_TEXT
MAX_HEADER = 150
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_ELEMENTS = 25  # buttons per actions block
MAX_CONTEXT_TEXT = 2000
# Slack documents "about 13,000" characters of blocks; we count the serialised JSON of the
# blocks, which over-counts, so a message under this budget is safely under Slack's.
MAX_MESSAGE_CHARS = 12_000
MAX_FALLBACK = 3000  # the notification text; Slack allows 40k but nobody reads that far
MIN_ROOM = 500  # what a repeated prefix (a table's header) must leave of a block
# Buttons go on the last message with the reply's end; more than this many would crowd out
# the answer itself (and a message of 50 blocks of buttons is no answer).
MAX_BUTTONS = 3 * MAX_ELEMENTS
MAX_TAIL_CHARS = MAX_MESSAGE_CHARS // 3

ACTION_RUN_PREFIX = "reportbot_run_"  # value: a command, run as if typed
ACTION_SHARE = "reportbot_share"  # value: the command whose answer is shared

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def escape(text: str) -> str:
    """Slack's three control characters; everything else is shown as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def user_mention(user_id: str) -> str:
    """``<@U123>`` for a real-looking user id, nothing otherwise (never echo raw input)."""
    return f"<@{user_id}>" if _USER_ID.match(user_id) else ""


@dataclass
class SlackMessage:
    """One chat message: the fallback ``text`` and its blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def blocks_size(blocks: list[dict[str, Any]]) -> int:
    return len(json.dumps(blocks, ensure_ascii=False))


# -- text helpers ----------------------------------------------------------------------


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cut_escaped(raw: str, limit: int) -> str:
    """Escape, then cut without splitting an entity such as ``&amp;``."""
    out: list[str] = []
    used = 0
    for ch in raw:
        piece = escape(ch)
        if used + len(piece) > limit - 1:
            out.append("…")
            return "".join(out)
        out.append(piece)
        used += len(piece)
    return "".join(out)


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not turn plain words into links or channel names.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _chunks(lines: Iterable[str], limit: int, prefix: str = "", suffix: str = "") -> list[str]:
    """Join escaped lines into texts of at most ``limit`` characters including the
    prefix/suffix; a single over-long line is cut on its own."""
    room = limit - len(prefix) - len(suffix)
    if room < MIN_ROOM:  # a caller's bug, never a loop: every cut below must make progress
        raise ValueError(f"prefix and suffix leave {room} characters of {limit}")
    out: list[str] = []
    cur: list[str] = []
    size = 0
    for line in lines:
        if len(line) > room:  # a line longer than a whole block: hard-cut it
            if cur:
                out.append(prefix + "\n".join(cur) + suffix)
                cur, size = [], 0
            start = 0
            while len(line) - start > room:
                cut = start + room
                amp = line.rfind("&", cut - 5, cut)  # never split "&amp;"
                if amp > start and ";" not in line[amp:cut]:
                    cut = amp
                out.append(prefix + line[start:cut] + suffix)
                start = cut
            line = line[start:]
        extra = len(line) + (1 if cur else 0)
        if cur and size + extra > room:
            out.append(prefix + "\n".join(cur) + suffix)
            cur, size = [], 0
            extra = len(line)
        cur.append(line)
        size += extra
    if cur:
        out.append(prefix + "\n".join(cur) + suffix)
    return [t for t in out if t.strip()]


# -- the compact table -----------------------------------------------------------------


def _table_blocks(table: Table) -> list[dict[str, Any]]:
    # the console's table layout (display-width padding), shown preformatted
    lines = [escape(line) for line in render_table(table, indent="")]
    head, body = "\n".join(lines[:2]), lines[2:]
    fence = "```"
    # the header row repeats at the top of every chunk, like a table split across pages,
    # unless it is so wide (escaped '&' in many columns) that it would crowd out the rows
    prefix = f"{fence}{head}\n"
    if len(prefix) + len(fence) > MAX_TEXT - MIN_ROOM:
        prefix, body = fence, lines
    texts = _chunks(body, MAX_TEXT, prefix=prefix, suffix=fence) if body else [f"{fence}{head}{fence}"]
    return [_section(t) for t in texts]


# -- tables that read on a phone --------------------------------------------------------

MAX_TABLE_ROWS = 100  # Slack's table block: rows including the header row
MAX_TABLE_COLUMNS = 20
FIELD_TABLE_COLUMNS = 4  # narrow enough for one field per row on a phone
FIELD_TABLE_CELL = 40


def native_table(table: Table) -> dict[str, Any] | None:
    """Slack's table block (slack_sdk ``TableBlock``: raw_text cells, right-aligned
    figures, the first row the header), or None when the table is beyond its limits
    (100 rows, 20 columns; one table a message, which a reply never exceeds)."""
    cols = table.columns
    if not cols or len(cols) > MAX_TABLE_COLUMNS or len(table.rows) + 1 > MAX_TABLE_ROWS:
        return None
    right = table.align_right

    def cell(text: str) -> dict[str, Any]:
        # raw_text is shown as is: no mrkdwn, no mentions, nothing to escape
        return {"type": "raw_text", "text": _cut(text.strip(), 500) or "-"}

    settings = [{"align": "right"} if i < len(right) and right[i] else {"align": "left", "is_wrapped": True} for i in range(len(cols))]
    rows = [[cell(c) for c in cols]] + [[cell(row[i] if i < len(row) else "") for i in range(len(cols))] for row in table.rows]
    block = {"type": "table", "column_settings": settings, "rows": rows}
    return block if blocks_size([block]) <= MAX_MESSAGE_CHARS // 2 else None


def _field_table_blocks(table: Table) -> list[dict[str, Any]] | None:
    """A narrow table as section fields, one row a field (bold first cell, then 'column
    value' pairs): two short columns side by side on a phone, no sideways scrolling.
    None when the table is too wide for that."""
    cols = table.columns
    if not cols or len(cols) > FIELD_TABLE_COLUMNS or not table.rows:
        return None
    if any(len(c) > FIELD_TABLE_CELL for row in table.rows for c in row):
        return None
    texts = [_field_row(cols, row) for row in table.rows]
    return _field_sections(texts)


def _field_sections(texts: list[str]) -> list[dict[str, Any]]:
    """Field texts as sections: at most ten fields and ``MAX_FIELDS_CHARS`` of text each."""
    groups: list[list[str]] = [[]]
    for text in texts:
        group = groups[-1]
        if group and (len(group) >= MAX_FIELDS or sum(map(len, group)) + len(text) > MAX_FIELDS_CHARS):
            groups.append(group := [])
        group.append(text)
    return [{"type": "section", "fields": [_mrkdwn(t) for t in group]} for group in groups if group]


def _field_row(cols: list[str], row: list[str]) -> str:
    """One table row as a field: the first cell in bold over 'column value' pairs."""
    head = f"*{escape(row[0])}*" if row and row[0].strip() else ""
    rest = " · ".join(f"{escape(cols[i])} {escape(v)}" if i < len(cols) else escape(v) for i, v in enumerate(row[1:], start=1) if v.strip())
    return "\n".join(t for t in (head, rest) if t) or "-"


def table_blocks(table: Table, native: bool) -> list[dict[str, Any]]:
    """Native table where allowed and it fits; else fields for a narrow table; else the
    preformatted table (wide ones: a phone scrolls it sideways rather than wrapping)."""
    if native and (block := native_table(table)) is not None:
        return [block]
    return _field_table_blocks(table) or _table_blocks(table)


# -- reply → blocks --------------------------------------------------------------------


def _button(label: str, action_id: str, value: str, primary: bool = False) -> dict[str, Any]:
    b: dict[str, Any] = {
        "type": "button",
        "text": _plain(_cut_escaped(label, MAX_BUTTON_LABEL)),
        "action_id": action_id,
        "value": value,
    }
    if primary:
        b["style"] = "primary"
    return b


def _body_blocks(reply: Reply, native_tables: bool = False) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if reply.summary:
        blocks += [_section(t) for t in _chunks([escape(s) for s in reply.summary], MAX_TEXT)]
    blocks += _field_blocks(reply.fields)
    if reply.table is not None and (reply.table.rows or reply.table.columns):
        blocks += table_blocks(reply.table, native_tables) if reply.table.rows else _table_blocks(reply.table)
    for sec in reply.sections:
        heading = f"*{_cut_escaped(sec.heading, 200)}*"
        chunks = _chunks([escape(line) for line in sec.lines], MAX_TEXT - len(heading) - 1) or [""]
        first, *rest = chunks
        blocks.append(_section(f"{heading}\n{first}".rstrip()))
        blocks += [_section(t) for t in rest]
    return blocks


def _field_blocks(fields: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Label/value pairs as section fields (bold label over its value), 10 a section."""
    texts = []
    for label, value in fields:
        head = _cut_escaped(label, 200)
        texts.append(f"*{head}*\n" + _cut_escaped(value or "-", MAX_FIELD_TEXT - len(head) - 3))
    return _field_sections(texts)


def _context_block(texts: list[str]) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(t) for t in texts[:10]]}


def _tail_blocks(reply: Reply, command: str | None, share: bool, shared_by: str | None) -> list[dict[str, Any]]:
    """The context line (footnote, page, who shared it) and the buttons under a reply."""
    notes = _tail_notes(reply, shared_by)
    tail: list[dict[str, Any]] = [_context_block(notes)] if notes else []
    share_button = _button(M.SLACK_SHARE_BUTTON, ACTION_SHARE, command, primary=True) if share and command and len(command) <= MAX_BUTTON_VALUE else None
    buttons = _action_buttons([*reply.candidates, *reply.actions], blocks_size(tail), share_button)
    if share_button is not None:
        buttons.append(share_button)
    for i in range(0, len(buttons), MAX_ELEMENTS):
        tail.append({"type": "actions", "elements": buttons[i : i + MAX_ELEMENTS]})
    return tail


def _tail_notes(reply: Reply, shared_by: str | None) -> list[str]:
    notes: list[str] = []
    if reply.footnote:
        notes.append(_cut_escaped(reply.footnote, MAX_CONTEXT_TEXT))
    if reply.pages > 1:
        notes.append(M.SLACK_PAGE.format(page=reply.page, pages=reply.pages))
    mention = user_mention(shared_by) if shared_by else None
    if mention:
        notes.append(M.SLACK_SHARED_BY.format(user=mention))
    return notes


def _action_buttons(actions: list[Action], size: int, share_button: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Run buttons for ``actions``, the first ones kept (best candidates, next page) while
    they fit beside the share button in the tail's room."""
    buttons: list[dict[str, Any]] = []
    room = MAX_TAIL_CHARS - (blocks_size([share_button]) if share_button else 0)
    for i, act in enumerate(actions):
        if not act.command or len(act.command) > MAX_BUTTON_VALUE:
            continue
        button = _button(act.label, f"{ACTION_RUN_PREFIX}{i}", act.command)
        size += blocks_size([button])
        if len(buttons) >= MAX_BUTTONS - 1 or size > room:
            break
        buttons.append(button)
    return buttons


def fallback_text(reply: Reply) -> str:
    """The plain ``text`` Slack shows in notifications and to clients without blocks:
    the console rendering, cut at a line boundary."""
    out: list[str] = []
    size = 0
    for line in render_text(reply).splitlines():
        piece = escape(line)
        if size + len(piece) + 1 > MAX_FALLBACK - 1:
            out.append(_cut_escaped(line, MAX_FALLBACK) if not out else "…")
            break
        out.append(piece)
        size += len(piece) + 1
    return "\n".join(out).strip() or escape(_cut(reply.title, 200))


_HELP_HINT = re.compile(r"(?<![\w/])/help\b")


def slack_spelling(reply: Reply) -> Reply:
    """Slack has no /help of ours (the manifest registers /reportbot), so the handlers'
    hints "/help …" are spelled "/reportbot help …" here, at the edge. Button commands
    are left alone: they go straight back into the handlers."""
    data = reply.model_dump()
    actions = (data.pop("actions"), data.pop("candidates"))

    def fix(v: Any) -> Any:
        if isinstance(v, str):
            return _HELP_HINT.sub("/reportbot help", v)
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, tuple):
            return tuple(fix(x) for x in v)
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        return v

    fixed = fix(data)
    fixed["actions"], fixed["candidates"] = actions
    return Reply.model_validate(fixed)


def render_reply(
    reply: Reply,
    *,
    command: str | None = None,
    share: bool = False,
    shared_by: str | None = None,
    native_tables: bool = False,
) -> list[SlackMessage]:
    """Blocks for ``reply``, split into as many messages as Slack's limits need.

    ``command`` is what produced the reply; with ``share`` it goes on a "채널에 공유"
    button. Buttons (candidates, paging, share) go on the last message."""
    reply = slack_spelling(reply)
    # a header is one line of plain text, never empty (Slack refuses both)
    header = {"type": "header", "text": _plain(_cut_escaped(" ".join(reply.title[: MAX_HEADER * 8].split()), MAX_HEADER) or "…")}
    body = _body_blocks(reply, native_tables)
    tail = _tail_blocks(reply, command, share and reply.shareable, shared_by)

    # Every message keeps room for the tail and for a one-line "continued" context.
    reserve_blocks = len(tail) + 1
    reserve_chars = blocks_size(tail) + 400
    limit_blocks = MAX_BLOCKS - reserve_blocks
    limit_chars = MAX_MESSAGE_CHARS - reserve_chars

    parts: list[list[dict[str, Any]]] = [[header]]
    for block in body:
        cur = parts[-1]
        if len(cur) + 1 > limit_blocks or blocks_size(cur + [block]) > limit_chars:
            parts.append([])
        parts[-1].append(block)

    fallback = fallback_text(reply)
    n = len(parts)
    messages: list[SlackMessage] = []
    for i, blocks in enumerate(parts, start=1):
        if i > 1:
            note = M.SLACK_CONTINUED.format(title=_cut_escaped(reply.title, 200), part=i, parts=n)
            blocks = [_context_block([note]), *blocks]
            text = _cut(note, MAX_FALLBACK)
        else:
            text = fallback
        if i == n:
            blocks = blocks + tail
        messages.append(SlackMessage(text=text, blocks=blocks))
    return messages


def limits_problems(message: SlackMessage) -> list[str]:
    """What in ``message`` breaks Slack's limits (empty when it is fine). Used by tests
    and as a guard before sending."""
    problems: list[str] = []
    if not message.text:
        problems.append("no fallback text")
    if len(message.blocks) > MAX_BLOCKS:
        problems.append(f"{len(message.blocks)} blocks")
    if blocks_size(message.blocks) > MAX_MESSAGE_CHARS:
        problems.append(f"{blocks_size(message.blocks)} characters of blocks")
    for b in message.blocks:
        problems += _text_problems(b) + _block_problems(b)
    if sum(1 for b in message.blocks if b["type"] == "table") > 1:
        problems.append("more than one table")
    return problems


def _text_problems(block: dict[str, Any]) -> list[str]:
    """Texts of one block that are empty or over Slack's 3,000 characters."""
    texts = [block["text"]["text"]] if "text" in block else []
    texts += [f["text"] for f in block.get("fields", [])]
    texts += [e["text"] for e in block.get("elements", []) if e.get("type") in ("mrkdwn", "plain_text")]
    problems: list[str] = []
    for t in texts:
        if len(t) > MAX_TEXT:
            problems.append(f"a text of {len(t)} characters")
        if not t:
            problems.append("an empty text")
    return problems


def _block_problems(block: dict[str, Any]) -> list[str]:
    """One block over its own type's limits (header length, fields, buttons, table size)."""
    kind = block["type"]
    problems: list[str] = []
    if kind == "header" and len(block["text"]["text"]) > MAX_HEADER:
        problems.append("header too long")
    if len(block.get("fields", [])) > MAX_FIELDS:
        problems.append("too many fields")
    if kind == "actions" and len(block["elements"]) > MAX_ELEMENTS:
        problems.append("too many buttons")
    if kind == "table":
        rows = block["rows"]
        if len(rows) > MAX_TABLE_ROWS or any(len(r) > MAX_TABLE_COLUMNS for r in rows):
            problems.append("table too large")
        if any(not c.get("text") for r in rows for c in r):
            problems.append("an empty table cell")
    return problems
