"""The neutral reply structure every handler returns.

Adapters translate it once, at the edge: plain text for the console, Block Kit for
Slack, HTML with inline keyboards for Telegram. Buttons carry a command string, so a
click is just another command run through the same handlers."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field


class ReplyKind(StrEnum):
    ANSWER = "answer"  # a lookup answered
    CANDIDATES = "candidates"  # several close matches: pick one
    NOT_FOUND = "not_found"
    USAGE = "usage"  # empty/invalid argument: how to use the command
    HELP = "help"
    DONE = "done"  # an action (subscribe, add milestone) succeeded
    DENIED = "denied"  # not allowed (admin verbs)
    ERROR = "error"  # our fault; said politely


class Action(BaseModel):
    """A button: ``command`` is run as if the user had typed it."""

    label: str
    command: str


class Table(BaseModel):
    columns: list[str]
    rows: list[list[str]]
    align_right: list[bool] = Field(default_factory=list)  # per column, for figures


class Section(BaseModel):
    """A titled block of lines (사업개요, 추진실적, 향후계획 …)."""

    heading: str
    lines: list[str] = Field(default_factory=list)


class Series(BaseModel):
    name: str
    values: list[float | None]  # one per chart label; None where a year or row has no figure


class Chart(BaseModel):
    """A picture of the answer, for people who would rather look than read: bars (집행률 of
    a department's programs) or lines (a figure across years). Adapters render it to PNG
    and send it beside the text; the text answer stays complete without it."""

    kind: str = "bar"  # bar | line
    title: str
    labels: list[str]  # categories (programs) or years
    series: list[Series]
    unit: str = ""  # axis label: '%', '백만원' …


class Reply(BaseModel):
    kind: ReplyKind = ReplyKind.ANSWER
    title: str
    summary: list[str] = Field(default_factory=list)  # key figures, one per line
    fields: list[tuple[str, str]] = Field(default_factory=list)  # label -> value pairs
    table: Table | None = None
    sections: list[Section] = Field(default_factory=list)
    footnote: str | None = None  # 기준일 and source report
    actions: list[Action] = Field(default_factory=list)  # next page, other years …
    candidates: list[Action] = Field(default_factory=list)  # pick one of several matches
    page: int = 1
    pages: int = 1
    shareable: bool = True  # lookups may be shared to the channel (Slack)
    chart: Chart | None = None


class Sender(Protocol):
    """Delivers a reply to a channel of one platform (reminders and digests use it)."""

    platform: str

    async def send(self, channel: str, reply: Reply) -> None: ...
