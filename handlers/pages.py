"""Paging long answers. Buttons carry the same command with a page token ('p2'), so
turning a page is just another command through the same handler."""

from __future__ import annotations

import math
from typing import TypeVar

from bot import messages as M
from bot.replies import Action
from handlers.args import page_token

T = TypeVar("T")


def paged(rows: list[T], page: int, size: int) -> tuple[list[T], int, int]:
    """The rows of ``page`` (clamped to the last page), the page and the page count."""
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(1, page), pages)
    return rows[(page - 1) * size : page * size], page, pages


def page_actions(base: str, page: int, pages: int) -> list[Action]:
    out = []
    if page > 1:
        out.append(Action(label=M.PAGE_PREV, command=f"{base} {page_token(page - 1)}"))
    if page < pages:
        out.append(Action(label=M.PAGE_NEXT, command=f"{base} {page_token(page + 1)}"))
    return out
