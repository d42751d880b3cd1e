"""What a format reader may cost: the file's size limit is checked before reading
(``text.load_document``); these bound what a small file may expand into."""

from __future__ import annotations

MAX_EXPANDED_BYTES = 64 * 1024 * 1024  # XML read out of one HWPX/HWP, all parts together
MAX_ZIP_ENTRIES = 5_000
MAX_PDF_PAGES = 1_000


class FormatError(ValueError):
    """A file of a supported format that cannot be read; ``reason`` is Korean, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
