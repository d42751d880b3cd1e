"""What a budget column holds, read from its printed header.

Queries (which column is the budget, the rate, a count) and the money text both need
it, so it sits below both."""

from __future__ import annotations

import re
from typing import Literal

ColumnKind = Literal["money", "rate", "count"]

# Column headers (as printed, spaces removed) that hold rates or counts, not money.
_RATE_MARKS = ("률", "율", "비율", "비중", "%")
_COUNT_MARKS = ("사업수", "건수", "개수", "인원", "정원", "현원", "선정", "신청", "수행", "(건)", "(명)", "(개)")


def column_kind(header: str) -> ColumnKind:
    """What a budget column holds, from its header: '집행률(%)' → rate, '2021년사업수' → count."""
    h = re.sub(r"\s+", "", header)
    if any(mark in h for mark in _RATE_MARKS):
        return "rate"
    if any(mark in h for mark in _COUNT_MARKS) or h.endswith("수"):
        return "count"
    return "money"
