"""/help [COMMAND] and the /reportbot umbrella command.

/help lists whatever the registry holds (commands added by other modules appear with
their one-line summary); the detailed usage of a command lives in bot.messages.HELP_USAGE.
/reportbot exists for platforms that give an app one slash command (Slack): its first
word picks the command ('/reportbot budget 뉴미디어' = '/budget 뉴미디어'), and free text
is read like an @mention ('/reportbot 뉴미디어담당관 예산')."""

from __future__ import annotations

from bot import messages as M
from bot.replies import Action, Reply, ReplyKind, Section, Table
from handlers.context import Context
from handlers.dispatch import handle
from handlers.mention import intent_of
from handlers.question import answer
from handlers.registry import CommandSpec, Registry, command

# Lookups first, then everything else in name order; the umbrella and help last.
_FIRST = ("budget", "program", "audit", "upcoming")
_LAST = ("help", "reportbot")


def _specs(commands: Registry[Context]) -> list[CommandSpec[Context]]:
    unique = {spec.name: spec for spec in commands.specs()}
    first = [unique[n] for n in _FIRST if n in unique]
    last = [unique[n] for n in _LAST if n in unique]
    middle = sorted((s for n, s in unique.items() if n not in _FIRST and n not in _LAST), key=lambda s: s.name)
    return first + middle + last


def _lookup(word: str, commands: Registry[Context]) -> CommandSpec[Context] | None:
    name = word.strip().lstrip("/").split("@", 1)[0].lower()
    spec = commands.get(name)
    if spec is not None:
        return spec
    intent = intent_of(name)
    return commands.get(intent) if intent else None


def _overview(ctx: Context) -> Reply:
    rows = []
    for spec in _specs(ctx.commands):
        label = spec.summary + (M.HELP_ADMIN_MARK if spec.admin_only else "")
        rows.append([f"/{spec.name}", label])
    examples = [e for name in _FIRST for e in M.HELP_USAGE.get(name, {}).get("examples", [])[:1]]
    return Reply(
        kind=ReplyKind.HELP,
        title=M.HELP_TITLE,
        summary=[M.HELP_INTRO],
        table=Table(columns=[M.HELP_COL_COMMAND, M.HELP_COL_WHAT], rows=rows),
        sections=[Section(heading=M.HELP_EXAMPLES, lines=examples), Section(heading=M.HELP_TIPS, lines=list(M.HELP_TIP_LINES))],
        footnote=M.HELP_DETAIL_HINT,
        actions=[Action(label=M.HELP_ACTION.format(name=n), command=f"/help {n}") for n in _FIRST if n in ctx.commands],
    )


def _detail(spec: CommandSpec[Context]) -> Reply:
    info = M.HELP_USAGE.get(spec.name, {})
    if not info:
        # Commands from other modules keep their usage as M.<NAME>_USAGE (a list or a line).
        usage = getattr(M, f"{spec.name.upper()}_USAGE", None)
        if isinstance(usage, str):
            usage = [usage]
        info = {"usage": list(usage)} if isinstance(usage, (list, tuple)) else {}
    sections = []
    if info.get("usage"):
        sections.append(Section(heading=M.HELP_USAGE_HEADING, lines=list(info["usage"])))
    if info.get("examples"):
        sections.append(Section(heading=M.HELP_EXAMPLES, lines=list(info["examples"])))
    summary = [spec.summary]
    if spec.admin_only:
        summary.append(M.HELP_ADMIN_NOTE)
    return Reply(
        kind=ReplyKind.HELP,
        title=M.HELP_COMMAND_TITLE.format(name=spec.name),
        summary=summary,
        sections=sections,
        actions=[Action(label=e, command=e) for e in info.get("examples", [])[:3] if e.startswith("/")],
    )


@command("help", M.HELP_COMMAND_SUMMARY)
def help_command(args: str, ctx: Context) -> Reply:
    word = args.strip()
    if not word:
        return _overview(ctx)
    spec = _lookup(word.split()[0], ctx.commands)
    if spec is None:
        reply = _overview(ctx)
        reply.kind = ReplyKind.NOT_FOUND
        reply.summary = [M.HELP_UNKNOWN.format(name=word.split()[0].lstrip("/")[:30])]
        return reply
    return _detail(spec)


@command("reportbot", M.REPORTBOT_COMMAND_SUMMARY)
def reportbot(args: str, ctx: Context) -> Reply:
    text = args.strip()
    if not text:
        return _overview(ctx)
    first, _, rest = text.partition(" ")
    name = first.lstrip("/").split("@", 1)[0].lower()
    if name == "reportbot":  # '/reportbot reportbot …' would loop
        return _overview(ctx)
    if name in ctx.commands:
        return handle(f"/{name} {rest}".strip(), ctx)
    return answer(text, ctx)
