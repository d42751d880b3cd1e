"""The Slack adapter is built on Bolt's and slack_sdk's public API only, so a minor
slack-bolt release (the dependency allows any 1.x from 1.20) cannot break it by moving
an internal module."""

from __future__ import annotations

import ast
from pathlib import Path

ADAPTERS = Path(__file__).resolve().parent.parent / "bot" / "adapters"
# Bolt's documented entry points: the package, the asyncio app module, the aiohttp adapter.
BOLT_PUBLIC = {"slack_bolt", "slack_bolt.async_app", "slack_bolt.adapter.aiohttp"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_slack_adapter_imports_only_bolts_public_modules() -> None:
    used = {(path.name, m) for path in ADAPTERS.glob("*.py") for m in _imported_modules(path) if m.split(".")[0] == "slack_bolt"}
    assert used, "the adapter no longer uses Bolt at all?"
    assert sorted((name, m) for name, m in used if m not in BOLT_PUBLIC) == []


def test_no_slack_module_it_imports_is_private() -> None:
    private = sorted(
        (path.name, m)
        for path in ADAPTERS.glob("*.py")
        for m in _imported_modules(path)
        if m.split(".")[0] in ("slack_bolt", "slack_sdk") and any(part.startswith("_") or "internal" in part for part in m.split("."))
    )
    assert private == []
