"""Moved: the store as known on a date is a read-side view (``bot.lookups.known``)."""

from bot.lookups.known import KnownStore, known_store

__all__ = ["KnownStore", "known_store"]
