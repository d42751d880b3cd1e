"""What a handler knows about the request: the store, the clock, the settings, the
commands it may run, and who is asking where. The runtime builds one per incoming command."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import AsOfClock, Clock
from bot.config import Settings
from bot.lookups.known import KnownStore, known_store
from bot.store.api import StoreAPI
from handlers.registry import Registry


@dataclass
class Context:
    store: StoreAPI  # the TinyDB or PostgreSQL store, or a dated view of either
    clock: Clock
    settings: Settings = field(default_factory=Settings)
    platform: str = "console"  # console | slack | telegram
    user_id: str | None = None
    channel_id: str | None = None
    is_admin: bool = False
    commands: Registry[Context] = field(kw_only=True)  # the runtime's (or a test's) registry

    def __post_init__(self) -> None:
        """With a pinned date (``--as-of``, ``clock.as_of``) a report printed after it is
        not yet known. Tests pin a FixedClock on purpose to ask made-up stores anything."""
        if isinstance(self.clock, AsOfClock) and not isinstance(self.store, KnownStore):
            self.store = known_store(self.store, self.clock.today())
