"""Both Slack app manifests against the app-manifest schema (tests/schemas/, its source
noted inside), and they ask for what issue 15's features need."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "slack_app_manifest.schema.json").read_text(encoding="utf-8"))
MANIFESTS = [ROOT / "slack" / "manifest.yml", ROOT / "slack" / "manifest-http.yml"]


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_is_valid_against_slacks_manifest_schema(path: Path) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(load(path))


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_asks_for_app_home_and_the_channel_checks(path: Path) -> None:
    m = load(path)
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in m["settings"]["event_subscriptions"]["bot_events"]
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    assert {"channels:read", "groups:read", "im:read", "im:write", "chat:write"} <= scopes


def test_schema_refuses_a_misspelt_or_overlong_field() -> None:
    m = load(MANIFESTS[0])
    m["settings"]["event_subscriptions"]["bot_event"] = ["app_mention"]  # typo
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(m)
    m = load(MANIFESTS[0])
    m["display_information"]["name"] = "x" * 36
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(m)
