"""The two answers to a name that did not resolve to one thing: a short list to pick
from (several close matches — never a guess), or 찾을 수 없습니다 with the closest names
and a pointer to /help. Each candidate is a button that runs the exact command."""

from __future__ import annotations

from bot import messages as M
from handlers.names import Resolution
from handlers.reply import Action, Reply, ReplyKind


def unresolved_reply(query: str, res: Resolution, command: str, suffix: str = "") -> Reply:
    """``command`` is '/budget'; ``suffix`` is appended to each candidate (' 2018')."""
    def action(name: str) -> Action:
        return Action(label=name, command=f"{command} {name}{suffix}")

    if res.kind == "many":
        summary = [M.CANDIDATES_INTRO]
        if res.more:
            summary.append(M.CANDIDATES_MORE.format(count=res.more))
        return Reply(
            kind=ReplyKind.CANDIDATES,
            title=M.CANDIDATES_TITLE.format(query=query),
            summary=summary,
            candidates=[action(c) for c in res.candidates],
        )
    summary = [M.NOT_FOUND.format(query=query)]
    if res.closest:
        summary.append(M.NOT_FOUND_CLOSEST.format(names=", ".join(res.closest)))
    summary.append(M.NOT_FOUND_HELP.format(command=command.lstrip("/")))
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=M.NOT_FOUND_TITLE,
        summary=summary,
        candidates=[action(c) for c in res.closest],
    )
