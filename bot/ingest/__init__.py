"""The report parser: a text file in, a ``ParsedReport`` out. Knows nothing of the store."""

from bot.ingest.parse import parse_bytes, parse_file
from bot.ingest.text import NotAReportError

__all__ = ["NotAReportError", "parse_bytes", "parse_file"]
