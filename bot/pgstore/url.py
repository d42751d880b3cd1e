"""Store locations that are PostgreSQL URLs: recognising one, and printing it without
its password (logs, notices, ``store.path``). Imports nothing of the store."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_PG_SCHEMES = ("postgresql://", "postgres://")


def is_pg_url(location: object) -> bool:
    """Whether a store location names a PostgreSQL database (else it is a TinyDB path)."""
    return isinstance(location, str) and location.startswith(_PG_SCHEMES)


def redact_url(url: str) -> str:
    """The URL with any password masked: what logs, notices and ``store.path`` show."""
    parts = urlsplit(url)
    if parts.password is None:
        netloc = parts.netloc
    else:
        userinfo, _, host = parts.netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
    query = re.sub(r"(?i)(password=)[^&]*", r"\1***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class StoreUnreachableError(Exception):
    """No PostgreSQL answers at the store URL; ``message`` is Korean (the password masked)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
