"""Moved: name matching is a query and lives in ``bot.lookups.names``; this name stays
until every command imports it from there."""

from bot.lookups.names import MAX_CANDIDATES, Pool, Pools, Resolution, normalize, resolve, resolve_in, same_name

__all__ = ["MAX_CANDIDATES", "Pool", "Pools", "Resolution", "normalize", "resolve", "resolve_in", "same_name"]
