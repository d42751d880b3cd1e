"""What an organisational unit's name looks like, whatever office printed it.

Korean public bodies name their units with a small set of endings — 실·국·본부·과·팀·
센터·사무국·담당관·보건소·구청·의회·공단 … — so a short name with such an ending, in a
place where a unit would stand (a table's row label, an item's parentheses, a 【…】
sub-heading), is a department. Words that merely end in the same syllable (결과, 효과,
성과, 경과, 통과 …) are not."""

from __future__ import annotations

import re

MAX_UNIT_NAME = 16

UNIT_END = re.compile(
    r"(담당관|기획관|정책관|보좌관|조정관|관리관|비서관|대변인|본부|센터|사업소|보건소|위원회|사무처|사무국|비서실"
    r"|구청|군청|시청|도청|의회|공단|공사|[가-힣]{2,}실|[가-힣]{2,}국|[가-힣]{2,}단|[가-힣]{2,}팀"
    r"|[가-힣\d]{2,}(?<![결효성경통초부교학])과)$"
)
_NOT_A_NAME = re.compile(r"[\s:：,.()\[\]%~]|^\d")


def looks_like_unit(name: str) -> bool:
    """A unit's name: short, one word (spacing already removed by the caller where it was
    letter-spacing), ending like a unit. '가람정책과', '의회사무국', '나래돌봄센터',
    '징수2과' are; '추진결과', '홍보효과', '가람 축제 운영' are not."""
    return 2 <= len(name) <= MAX_UNIT_NAME and not _NOT_A_NAME.search(name) and bool(UNIT_END.search(name))
