"""Reply → Telegram messages: HTML text cut to Telegram's size, and inline keyboards.

Telegram has no tables and refuses a message over 4,096 characters or a button whose
callback data is over 64 bytes, so this module decides how a ``Reply`` reads on a phone:
every table row becomes a line, long replies are cut between lines (never inside a tag),
and long button commands travel as short keys. Everything that came from a user or a
report is escaped here, once."""

from __future__ import annotations

import hashlib
import html
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import messages as M
from bot.replies import Action, Reply, Table

MESSAGE_LIMIT = 4096  # Telegram: characters of one message
CALLBACK_DATA_LIMIT = 64  # Telegram: bytes of a button's callback_data
BUTTON_LABEL_MAX = 40  # longer labels are cut; phones show little more
# A table row is one line on a phone: its cells and columns are capped so that no row, not
# even a report's 16k-cell line, becomes a message of its own.
CELL_MAX = 300
COLUMNS_MAX = 12
ACTIONS_PER_ROW = 3
KEY_PREFIX = "#"


def esc(text: str) -> str:
    """Escape for Telegram HTML (it understands only &lt; &gt; &amp; &quot;)."""
    return html.escape(text, quote=False)


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Block:
    """One unit the splitter never cuts (a line, or a table row), with its plain text
    for the rare block that alone exceeds a message."""

    html: str
    plain: str


BLANK = Block("", "")


def _line(text: str) -> Block:
    return Block(esc(text), text)


def _bold(text: str) -> Block:
    return Block(f"<b>{esc(text)}</b>", text)


def _cell(text: str) -> str:
    text = text[: CELL_MAX + 1].strip()
    return text if len(text) <= CELL_MAX else text[: CELL_MAX - 1] + "…"


def _table_blocks(table: Table) -> list[Block]:
    """Row per block: first cell in bold, the others as 'column value' pairs.

    A two-column table of text (a command and what it does) reads as 'name — text';
    figures always keep their column name (집행률 12.5%, not a bare 12.5%)."""
    return [_row_block(_cell(row[0]), _row_pairs(table, row), len(table.columns)) for row in table.rows if row]


def _row_pairs(table: Table, row: list[str]) -> list[tuple[str, str]]:
    """(column label or '', cell) for a row's cells after the first, empty cells left out."""
    cols, figures = table.columns, table.align_right
    pairs = []
    for i, raw in enumerate(row[1:COLUMNS_MAX], start=1):
        cell = _cell(raw)
        if not cell:
            continue
        named = len(cols) > 2 or (i < len(figures) and figures[i])
        pairs.append((_cell(cols[i]) if named and i < len(cols) else "", cell))
    return pairs


def _row_block(head: str, rest: list[tuple[str, str]], columns: int) -> Block:
    html_rest = " · ".join(f"{esc(label)} {esc(v)}" if label else esc(v) for label, v in rest)
    plain_rest = " · ".join(f"{label} {v}" if label else v for label, v in rest)
    if not head:
        return Block(f"• {html_rest}", f"• {plain_rest}")
    if not rest:
        return Block(f"• <b>{esc(head)}</b>", f"• {head}")
    if columns <= 2 and not rest[0][0]:
        return Block(f"• <b>{esc(head)}</b> — {html_rest}", f"• {head} — {plain_rest}")
    return Block(f"• <b>{esc(head)}</b>\n   {html_rest}", f"• {head}\n   {plain_rest}")


def reply_blocks(reply: Reply) -> list[Block]:
    """The reply as blocks, in reading order; BLANK separates its parts."""
    title = reply.title
    if reply.pages > 1:
        title = f"{title} {M.TELEGRAM_PAGE.format(page=reply.page, pages=reply.pages)}"
    blocks: list[Block] = [_bold(title)]
    if reply.summary:
        blocks.extend(_line(s) for s in reply.summary)
    if reply.fields:
        blocks.append(BLANK)
        blocks.extend(Block(f"<b>{esc(k)}</b>: {esc(v)}", f"{k}: {v}") for k, v in reply.fields)
    if reply.table is not None and reply.table.rows:
        blocks.append(BLANK)
        blocks.extend(_table_blocks(reply.table))
    for section in reply.sections:
        blocks.append(BLANK)
        blocks.append(_bold(section.heading))
        blocks.extend(_line(s) for s in section.lines)
    if reply.footnote:
        blocks.append(BLANK)
        blocks.append(Block(f"<i>{esc(reply.footnote)}</i>", reply.footnote))
    return blocks


def _fitting_prefix(text: str, limit: int) -> int:
    """Largest n such that esc(text[:n]) fits in ``limit`` (binary search: escaping grows text)."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if tg_len(esc(text[:mid])) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _cut_plain(text: str, limit: int) -> list[str]:
    """Cut an over-long block's plain text at newlines, else spaces, else anywhere.

    Each step looks at no more than ``limit`` characters ahead (an escaped piece that fits
    is never longer), so a block of any size is cut in linear time."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        window = text[start : start + limit + 1]
        if len(window) <= limit and tg_len(esc(window)) <= limit:
            pieces.append(window)
            break
        n = max(1, _fitting_prefix(window[:limit], limit))
        cut = window.rfind("\n", 0, n + 1)
        if cut <= 0:
            cut = window.rfind(" ", 0, n + 1)
        if cut <= 0:
            cut = n
        head = window[:cut].rstrip()
        if head:
            pieces.append(head)
        start += cut
        while start < len(text) and text[start].isspace():
            start += 1
    return pieces


def pack(blocks: Iterable[Block], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks into as few messages as fit, cutting only between blocks."""
    chunks: list[list[str]] = [[]]
    sizes = [0]
    for block in blocks:
        parts = [block.html] if tg_len(block.html) <= limit else [esc(p) for p in _cut_plain(block.plain, limit)]
        for part in parts:
            cur = chunks[-1]
            add = tg_len(part) + (1 if cur else 0)
            if cur and sizes[-1] + add > limit:
                chunks.append([])
                sizes.append(0)
                cur = chunks[-1]
                add = tg_len(part)
            if not cur and not part:  # no blank line at the top of a message
                continue
            cur.append(part)
            sizes[-1] += add
    out = []
    for chunk in chunks:
        while chunk and not chunk[-1]:
            chunk.pop()
        if chunk:
            out.append("\n".join(chunk))
    return out


def render(reply: Reply, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The reply as one or more HTML messages, each within Telegram's limit."""
    return pack(reply_blocks(reply), limit)


class ButtonStore(Protocol):
    """Where long button commands outlive the process (``bot.store.Store``)."""

    def remember_button(self, key: str, command: str) -> None: ...

    def button_command(self, key: str) -> str | None: ...


class CallbackCommands:
    """Button commands ↔ callback data.

    A command that fits in 64 bytes travels as itself (a restart loses nothing, and a
    forged one is no more than the user could type). Longer ones — Korean is 3 bytes a
    character — travel as a short hash key, remembered here (most recent first) and, with
    a ``store``, in the store too: a button pressed after a restart still works, for 30
    days (``Store.remember_button``)."""

    def __init__(self, capacity: int = 4096, store: ButtonStore | None = None) -> None:
        self._capacity = capacity
        self._by_key: OrderedDict[str, str] = OrderedDict()
        self._store = store

    def encode(self, command: str) -> str:
        if command.startswith("/") and len(command.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            return command
        key = KEY_PREFIX + hashlib.blake2b(command.encode("utf-8"), digest_size=8).hexdigest()
        if self._store is not None and key not in self._by_key:  # once per process: a render is no write
            self._store.remember_button(key, command)
        self._by_key[key] = command
        self._by_key.move_to_end(key)
        while len(self._by_key) > self._capacity:
            self._by_key.popitem(last=False)
        return key

    def decode(self, data: str | None) -> str | None:
        """The command behind a button, or None when the key is unknown (expired)."""
        if not data:
            return None
        if data.startswith("/"):
            return data
        command = self._by_key.get(data)
        if command is not None:
            self._by_key.move_to_end(data)
        elif self._store is not None and data.startswith(KEY_PREFIX):
            command = self._store.button_command(data)  # made before a restart
            if command is not None:
                self._by_key[data] = command
        return command


def _label(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= BUTTON_LABEL_MAX else text[: BUTTON_LABEL_MAX - 1] + "…"


def _button(action: Action, encode: Callable[[str], str]) -> InlineKeyboardButton:
    return InlineKeyboardButton(_label(action.label), callback_data=encode(action.command))


def keyboard(reply: Reply, encode: Callable[[str], str]) -> InlineKeyboardMarkup | None:
    """Candidates one per row (their names are long); other actions three to a row."""
    rows: list[list[InlineKeyboardButton]] = [[_button(c, encode)] for c in reply.candidates]
    actions = [_button(a, encode) for a in reply.actions]
    for i in range(0, len(actions), ACTIONS_PER_ROW):
        rows.append(actions[i : i + ACTIONS_PER_ROW])
    return InlineKeyboardMarkup(rows) if rows else None
