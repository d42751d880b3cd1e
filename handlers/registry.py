"""The commands a bot answers: ``@command`` turns a handler function into a ``CommandSpec``,
and a ``Registry`` holds the specs one bot (or one test) runs with.

There is no module-global table: ``handlers.commands.build_registry`` fills a registry from
the list of commands, the runtime owns it, and each request's ``Context`` carries it, so a
test builds its own (with extra commands) without touching anyone else's."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bot.replies import Reply

# The request a handler gets (handlers.context.Context, which holds a Registry[Context]):
# generic, so this module needs nothing from the context's.
C = TypeVar("C")


@dataclass(frozen=True)
class CommandSpec(Generic[C]):
    """One command; calling it runs its handler (``spec(args, ctx)``)."""

    name: str  # without the slash, [a-z0-9_] (Telegram's rule)
    fn: Callable[[str, C], Reply]
    summary: str  # one Korean line for /help and the Telegram command menu
    admin_only: bool = False
    aliases: tuple[str, ...] = ()

    def __call__(self, args: str, ctx: C) -> Reply:
        return self.fn(args, ctx)


def command(
    name: str, summary: str, *, admin_only: bool = False, aliases: tuple[str, ...] = ()
) -> Callable[[Callable[[str, C], Reply]], CommandSpec[C]]:
    """Declare a handler as a command; it is answered once a registry lists it."""

    def deco(fn: Callable[[str, C], Reply]) -> CommandSpec[C]:
        return CommandSpec(name=name, fn=fn, summary=summary, admin_only=admin_only, aliases=aliases)

    return deco


@dataclass
class Registry(Generic[C]):
    """Command name (and alias) → spec, plus the reader for free text (no slash)."""

    free_text: Callable[[str, C], Reply] | None = None
    _by_name: dict[str, CommandSpec[C]] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: Iterable[CommandSpec[C]], free_text: Callable[[str, C], Reply] | None = None) -> Registry[C]:
        registry = cls(free_text=free_text)
        for spec in specs:
            registry.add(spec)
        return registry

    def add(self, spec: CommandSpec[C]) -> None:
        """Register ``spec`` under its name and aliases (a later spec replaces an earlier one)."""
        for key in (spec.name, *spec.aliases):
            self._by_name[key] = spec

    def get(self, name: str) -> CommandSpec[C] | None:
        return self._by_name.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def specs(self) -> list[CommandSpec[C]]:
        """Each command once, in the order registered."""
        return list({spec.name: spec for spec in self._by_name.values()}.values())

    def items(self) -> Iterator[tuple[str, CommandSpec[C]]]:
        """(name, spec) for every name a command answers to, aliases included."""
        return iter(self._by_name.items())


def split_command(text: str) -> tuple[str | None, str]:
    """'/budget 뉴미디어 2018' -> ('budget', '뉴미디어 2018'); '/budget@reportbot x' too."""
    if not text.startswith("/"):
        return None, text
    head, _, rest = text[1:].partition(" ")
    head = head.split("@", 1)[0].lower()
    return head, rest.strip()
