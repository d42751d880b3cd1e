"""The bot starts on the bundled corpus even when one report in it cannot be read, and
says which; log settings come from the config file as well as the environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bot.ingest
from bot.config import load_settings
from bot.logs import debug_enabled, json_enabled
from bot.runtime import build_store_from_corpus
from bot.store import Store
from tests.conftest import REPORTS
from tests.test_store import CLOCK


def test_a_report_the_parser_fails_on_is_named_and_the_others_are_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    corpus = tmp_path / "reports"
    corpus.mkdir()
    good = sorted(REPORTS.glob("*.txt"))[0]
    shutil.copy(good, corpus / good.name)
    (corpus / "zz_broken.txt").write_text("업무보고\n2030. 1. 2.\n가람본부\n", encoding="utf-8")
    real = bot.ingest.parse_file

    def parse(path: Path, *args, **kwargs):
        if path.name == "zz_broken.txt":
            raise RecursionError("a parser bug")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(bot.ingest, "parse_file", parse)
    store = Store(tmp_path / "db.json", clock=CLOCK)
    notes = build_store_from_corpus(store, corpus)
    assert any("zz_broken.txt" in n and "RecursionError" in n for n in notes)
    assert len(store.reports()) == 1


def test_an_oversized_bundled_report_is_refused_by_the_configured_limit(tmp_path: Path):
    corpus = tmp_path / "reports"
    corpus.mkdir()
    (corpus / "big.txt").write_text("업무보고\n2030. 1. 2.\n가람본부\n" + "가" * 4000, encoding="utf-8")
    notes = build_store_from_corpus(Store(tmp_path / "db.json", clock=CLOCK), corpus, max_bytes=1000)
    assert any("big.txt" in n and "너무 큽니다" in n for n in notes)


def test_log_format_and_debug_come_from_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("REPORTBOT_LOG_JSON", raising=False)
    monkeypatch.delenv("REPORTBOT_LOG_DEBUG", raising=False)
    monkeypatch.delenv("REPORTBOT_CONFIG", raising=False)  # load_settings(path) sets it for the process
    cfg = tmp_path / "config.toml"
    cfg.write_text("[log]\njson = true\n", encoding="utf-8")
    settings = load_settings(cfg)
    assert json_enabled(settings) and not debug_enabled(settings)
    monkeypatch.delenv("REPORTBOT_CONFIG")
    assert not json_enabled(load_settings(None))
