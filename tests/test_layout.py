"""The code's layout stays one the tools can check.

import-linter (the layers contract in pyproject.toml, see docs/ARCHITECTURE.md) only sees
regular packages: a folder of modules without ``__init__.py`` is a namespace package, which
it skips without a word, and with it every import that folder makes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ("bot", "handlers", "reminders")


def test_every_code_folder_is_a_package_the_import_contracts_can_see() -> None:
    missing = [
        str(folder.relative_to(ROOT))
        for top in CODE
        for folder in [ROOT / top, *(ROOT / top).rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py")) and not (folder / "__init__.py").exists()
    ]
    assert missing == []


def test_every_layer_the_contract_names_exists() -> None:
    """A layer in parentheses is optional to import-linter: a typo or a moved package would
    make it vanish from the check. Every layer here must be a module or package on disk."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")["layers"]
    names = [part.strip().strip("()") for layer in layers for part in re.split(r"[|:]", layer)]
    absent = [n for n in names if not (ROOT / n.replace(".", "/")).is_dir() and not (ROOT / (n.replace(".", "/") + ".py")).exists()]
    assert absent == []
