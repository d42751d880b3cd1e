"""The messages package reads as one module: every name is defined once and reachable as M.NAME."""

from __future__ import annotations

import importlib
import pkgutil

import bot.messages as M


def _parts() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(M.__path__):
        module = importlib.import_module(f"bot.messages.{info.name}")
        names[info.name] = {n for n in vars(module) if n.isupper()}
    return names


def test_no_message_is_defined_in_two_parts() -> None:
    seen: dict[str, str] = {}
    twice = []
    for part, names in _parts().items():
        for name in names:
            if name in seen:
                twice.append((name, seen[name], part))
            seen[name] = part
    assert twice == []


def test_every_message_of_every_part_is_reachable_as_m_name() -> None:
    parts = _parts()
    assert len(parts) >= 2
    for part, names in parts.items():
        module = importlib.import_module(f"bot.messages.{part}")
        for name in names:
            assert getattr(M, name) is getattr(module, name), (part, name)

