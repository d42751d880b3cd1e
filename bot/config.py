"""Settings: a TOML file for what may be shared (paths, allow-lists, schedules) and
the environment for secrets. Tokens are ``SecretStr`` so they never print in logs."""

from __future__ import annotations

import os
from datetime import date, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPORTS_DIR = PROJECT_ROOT / "data" / "reports"
DEFAULT_DB = PROJECT_ROOT / "data" / "reportbot.json"


def _split_ids(v: Any) -> Any:
    """Allow-lists may come from the environment as 'a,b,c'."""
    if isinstance(v, str):
        return [p.strip() for p in v.split(",") if p.strip()]
    if isinstance(v, int):
        return [str(v)]
    return v


class StoreSettings(BaseModel):
    path: Path = DEFAULT_DB
    url: str | None = None  # postgresql://… selects the PostgreSQL store (bot.pgstore) instead of the file at ``path``
    reports_dir: Path = DEFAULT_REPORTS_DIR
    max_report_mb: float = 20.0  # a larger file is refused with a clear message, unread
    backups: int = Field(default=5, ge=0)  # timestamped backups kept beside the store (<store>.backups/)

    @property
    def max_report_bytes(self) -> int:
        return int(self.max_report_mb * 1024 * 1024)


class UploadSettings(BaseModel):
    """Reports sent to the bot in chat: previewed, then stored only on 저장."""

    max_upload_mb: float = 20.0  # a larger file is refused before it is downloaded
    preview_minutes: float = 30.0  # a preview not saved by then expires
    spool_dir: Path = PROJECT_ROOT / "data" / "uploads"  # pending previews: the file and its hash

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


class ClockSettings(BaseModel):
    as_of: date | None = None


class SlackSettings(BaseModel):
    admin_users: list[str] = Field(default_factory=list)
    share_button: bool = True
    mention_in_thread: bool = True  # answer a top-level @mention in a thread under it (false: inline)
    native_tables: bool = True  # Block Kit table block; false where a workspace refuses it (fields / code block instead)

    _split = field_validator("admin_users", mode="before")(_split_ids)


class TelegramSettings(BaseModel):
    allowed_chats: list[str] = Field(default_factory=list)
    admin_users: list[str] = Field(default_factory=list)
    webhook_url: str | None = None
    webhook_port: int = 8443

    @field_validator("allowed_chats", "admin_users", mode="before")
    @classmethod
    def _ids(cls, v: Any) -> Any:
        v = _split_ids(v)
        return [str(x) for x in v] if isinstance(v, list) else v


class ReminderSettings(BaseModel):
    offsets_days: list[int] = Field(default_factory=lambda: [7, 1, 0])
    send_time: time = time(9, 0)
    grace_hours: float = 24.0
    holidays_country: str = "KR"


class DigestSettings(BaseModel):
    weekday: int = 0  # Monday
    send_time: time = time(9, 0)
    days_ahead: int = 14
    lagging_programs: int = 5


class LogSettings(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    json_lines: bool = Field(default=False, alias="json")  # one JSON object per line (also REPORTBOT_LOG_JSON=1)
    debug: bool = False  # Slack libraries' own logs below WARNING (also REPORTBOT_LOG_DEBUG=1)


class ConsoleSettings(BaseModel):
    channel: str = "console"


class Settings(BaseSettings):
    """All settings. Secrets only from the environment (never put them in the TOML)."""

    model_config = SettingsConfigDict(extra="ignore", env_nested_delimiter="__", env_prefix="REPORTBOT_")

    store: StoreSettings = Field(default_factory=StoreSettings)
    clock: ClockSettings = Field(default_factory=ClockSettings)
    upload: UploadSettings = Field(default_factory=UploadSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    reminders: ReminderSettings = Field(default_factory=ReminderSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    log: LogSettings = Field(default_factory=LogSettings)

    # Secrets and endpoints: the platforms' conventional variable names, no prefix.
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_url: str = Field(default="https://api.telegram.org/bot", validation_alias="TELEGRAM_API_URL")
    telegram_allowed_chats_env: str | None = Field(default=None, validation_alias="TELEGRAM_ALLOWED_CHATS")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = os.environ.get("REPORTBOT_CONFIG")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_path:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml_path)))
        return tuple(sources)

    def allowed_telegram_chats(self) -> set[str]:
        chats = set(self.telegram.allowed_chats)
        if self.telegram_allowed_chats_env:
            chats |= set(_split_ids(self.telegram_allowed_chats_env))
        return chats


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Settings from ``config`` (or $REPORTBOT_CONFIG) plus the environment."""
    if config is not None:
        os.environ["REPORTBOT_CONFIG"] = str(config)
    return Settings(**overrides)
