"""Public lines about changes to a channel's feed ("@user님이 이 채널에 … 구독했습니다").

A handler that changes what a whole channel receives (a subscription, a milestone, an
audit item closed) calls ``announce``; the adapter that ran it collects the notices and
posts them where everyone in the channel sees them (Slack: one short public line; the
asker's details stay ephemeral). Platforms whose replies are already public (Telegram
groups, the console) ignore them. A context variable keeps the ``Reply`` model and every
handler signature as they are."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChannelNotice:
    """``template`` from bot/messages/ with a ``{user}`` slot the adapter fills with its
    own mention; ``values`` are plain text (the adapter escapes them)."""

    template: str
    values: dict[str, str] = field(default_factory=dict)

    def render(self, user: str, escape: Callable[[str], str] | None = None) -> str:
        esc = escape or (lambda s: s)
        return self.template.format(user=user, **{k: esc(v) for k, v in self.values.items()})

_current: ContextVar[list[ChannelNotice] | None] = ContextVar("reportbot_channel_notices", default=None)


def announce(template: str, **values: str) -> None:
    """Ask the adapter to tell the channel; a no-op when nobody collects."""
    notices = _current.get()
    if notices is not None:
        notices.append(ChannelNotice(template, {k: str(v) for k, v in values.items()}))


@contextlib.contextmanager
def collecting() -> Iterator[list[ChannelNotice]]:
    """Collect the notices of the handler calls made inside the block."""
    notices: list[ChannelNotice] = []
    token = _current.set(notices)
    try:
        yield notices
    finally:
        _current.reset(token)
