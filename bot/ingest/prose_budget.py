"""Budget figures stated in sentences rather than tables.

Program bodies and 결산 summaries state their money in prose:
"'18년 결산 : 예산현액 4,082백만원 중 4,079백만원 집행(집행률 99.9%)",
"세출 : 세출 예산현액 8,055억 487만 3,310원 중 7,478억 1,328만 80원을 지출하여 집행률 92.8%".
Such a sentence becomes a budget line named after what it is about: the label before its
colon when that names a thing ('세출'), else the program whose body it sits in. A sentence
that only repeats the total row of a table printed right under it is that table's caption,
not a line of its own; a sentence that disagrees with a table row of the same program is
kept and reported."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.ingest.numbers import UNIT_WON, Number, parse_korean_amount
from bot.ingest.text import Document, clean, squash
from bot.models import BudgetLine, Program, Source

# The base amount a sentence is about: without it a sentence is not a budget statement.
_BASE_WORDS = ("예산현액", "예산액", "세출현액", "세입현액")
_AMOUNT = re.compile(
    r"(?<![\d,.])(?:\d[\d,]{0,20}(?:\.\d{1,3})?\s?(?:조|억|만|천)\s?){1,5}(?:\d[\d,]{0,20}\s?)?원"
    r"|(?<![\d,.])\d[\d,]{0,20}(?:\.\d{1,3})?\s?(?:백만원|천원|억원|원)"
)
_RATE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?)\s?%")
_UNIT_SUFFIX = re.compile(r"(백만원|천원|억원)$")
# What an amount is, from the word before it or the verb after it.
_BEFORE = re.compile(r"(예산현액|예산액|세출현액|세입현액|집행액|지출액|수납액|징수결정액|이월액|불용액|집행잔액|잔액)\S{0,2}\s*(?:총\s*)?$")
_AFTER = {"집행": "집행액", "지출": "지출액", "수납": "수납액", "징수": "징수결정액"}
_AFTER_OF = re.compile(r"중\s*$")  # '예산현액 X 중 Y': Y is what was spent of X
# The subject a sentence without a label is about: '2030 회계연도 세출 예산현액은 …' -> 세출.
_SUBJECT = re.compile(r"(세입|세출|일반회계|특별회계|기금)\s*(?:예산현액|예산액|세출현액|세입현액)")
_RATE_WORD = re.compile(r"([가-힣]{1,6}[률율])\S{0,2}\s*(?:은|는|이)?\s*$")
_LABEL = re.compile(r"^[\s□■○●◎▣◇◆※\-·ㆍ•*#]{0,20}(?P<label>[^:：]{1,30}?)\s{0,5}[:：]")
_GENERIC_LABEL = re.compile(r"예산|결산|사업비|집행|현황|실적")
_LEADING_YEAR = re.compile(r"^['’]?(?:19|20)?\d\d(?:년도?)?")  # '2030 가람 축제 개최' is the row '가람 축제 개최'
CAPTION_REACH = 8
PROSE_TABLE = "(문장)"  # the table label of a line read from a sentence ends so  # lines under a sentence in which a table repeating it makes it a caption


@dataclass
class _Figure:
    key: str
    value: Number
    unit: str | None  # None for rates


def _amount(text: str) -> tuple[Number, str] | None:
    s = text.replace(" ", "")
    unit = _UNIT_SUFFIX.search(s)
    if unit and not re.search(r"[조억만천](?=\d|[조억만천]|원$)", s[: unit.start()] + "원"):
        digits = s[: unit.start()].replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        return (int(value) if value.is_integer() else value), unit.group(1)
    won = parse_korean_amount(s, "원")
    return (won, "원") if won is not None else None


def _figures(text: str) -> list[_Figure]:
    """Each figure with what it is. A figure nothing names is kept only where the sentence
    says so: an amount right after '중' is what was spent of the base, a rate followed by
    '집행' is the 집행률; anything else ('…의 2.4%인 …') is not guessed at."""
    found: list[tuple[int, int, _Figure]] = []
    for m in _AMOUNT.finditer(text):
        parsed = _amount(m.group(0))
        if parsed is None:
            continue
        before = _BEFORE.search(text[max(0, m.start() - 12) : m.start()])
        after = text[m.end() : m.end() + 6].lstrip("을를이가 ")
        key = before.group(1) if before else next((v for k, v in _AFTER.items() if after.startswith(k)), None)
        if key is None and _AFTER_OF.search(text[max(0, m.start() - 4) : m.start()]):
            key = "집행액"
        if key is not None:
            found.append((m.start(), m.end(), _Figure(key, parsed[0], parsed[1])))
    for m in _RATE.finditer(text):
        if any(a <= m.start() < b for a, b, _ in found):
            continue
        word = _RATE_WORD.search(text[max(0, m.start() - 14) : m.start()])
        if word is None and "집행" not in text[m.end() : m.end() + 6]:
            continue
        found.append((m.start(), m.end(), _Figure(word.group(1) if word else "집행률", float(m.group(1)), None)))
    found.sort(key=lambda f: f[0])
    return [f for _, _, f in found]


def _values(figures: list[_Figure]) -> tuple[dict[str, Number | None], str] | None:
    """Keys for a sentence's figures in its first amount's unit: the first amount is the
    base (예산현액), an unnamed amount after '중' is what was spent."""
    amounts = [f for f in figures if f.unit]
    if not amounts or not amounts[0].key.startswith(_BASE_WORDS):
        return None
    unit = amounts[0].unit or "원"
    values: dict[str, Number | None] = {}
    for f in figures:
        if f.unit and f.unit != unit:
            converted = f.value * UNIT_WON[f.unit] / UNIT_WON[unit]
            value: Number = int(converted) if float(converted).is_integer() else converted
        else:
            value = f.value
        key = f.key or ("집행액" if f.unit else "집행률")
        if key in values:
            continue
        values[key] = value
    return (values, unit) if len(values) >= 2 else None


class _ProgramsByLine:
    """The program whose body holds a line: of those whose lines hold it, the one printed
    last (the first of them in the list on a tie). Sorted once, so a volume's sentences
    do not each walk every program."""

    def __init__(self, programs: list[Program]) -> None:
        self.order = sorted(range(len(programs)), key=lambda i: (programs[i].line, i))
        self.programs = [programs[i] for i in self.order]
        self.lines = [p.line for p in self.programs]
        self.reach: list[int] = []  # the furthest end line of the programs up to each position
        for p in self.programs:
            self.reach.append(max(self.reach[-1] if self.reach else 0, p.end_line or p.line))

    def at(self, n: int) -> Program | None:
        k = bisect.bisect_right(self.lines, n) - 1
        best: int | None = None
        while k >= 0 and self.reach[k] >= n:
            p = self.programs[k]
            if best is not None and p.line < self.programs[best].line:
                break
            if (p.end_line or p.line) >= n:
                best = k
            k -= 1
        return self.programs[best] if best is not None else None


def _repeats_table_total(
    values: dict[str, Number | None], unit: str, n: int, table_lines: list[BudgetLine]
) -> bool:
    """The sentence restates (in any unit, rounded as printed) the total row of a table
    that starts right under it."""
    scale, tol = UNIT_WON[unit], UNIT_WON[unit] / 2 + 1
    amounts = [v * scale for k, v in values.items() if v is not None and not k.endswith(("률", "율"))]
    for b in table_lines:
        line = b.source.line or 0
        if not n < line <= n + CAPTION_REACH or b.level != "total":
            continue
        row = [v * UNIT_WON[b.unit] for k, v in b.values.items() if v is not None and not k.endswith(("률", "율"))]
        if all(any(abs(a - r) <= tol for r in row) for a in amounts):
            return True
    return False


def _row_key(name: str) -> str:
    return _LEADING_YEAR.sub("", squash(name))


def _disagreement(
    name: str, values: dict[str, Number | None], unit: str, rows_by_name: dict[str, list[BudgetLine]], line: int
) -> str | None:
    base = next((v for k, v in values.items() if k.startswith(_BASE_WORDS)), None)
    if base is None:
        return None
    rows = rows_by_name.get(_row_key(name), [])
    above = [b for b in rows if (b.source.line or 0) < line]
    for b in [max(above, key=lambda r: r.source.line or 0)] if above else rows[:1]:  # this report's row
        printed = next((v for k, v in b.values.items() if k.startswith(_BASE_WORDS) and v is not None), None)
        if printed is None:
            continue
        in_won, tol = base * UNIT_WON[unit], UNIT_WON[unit] / 2 + 1
        if abs(printed * UNIT_WON[b.unit] - in_won) > tol:
            return f"{b.name}: 문장 {base:,}{unit}, 표 {printed:,}{b.unit} (표 {b.source.line}행)"
    return None


def parse_prose_budget(doc: Document, programs: list[Program], table_lines: list[BudgetLine]) -> list[BudgetLine]:
    out: list[BudgetLine] = []
    rows_by_name: dict[str, list[BudgetLine]] = {}
    for b in table_lines:
        rows_by_name.setdefault(_row_key(b.name), []).append(b)
    tables_from = sorted((b.source.line or 0, i) for i, b in enumerate(table_lines))
    by_line = _ProgramsByLine(programs)
    for n, raw in doc.numbered():
        if "\t" in raw or not ("현액" in raw or "예산액" in raw):
            continue
        text = clean(raw)
        figures = _figures(text)
        read = _values(figures)
        if read is None:
            continue
        values, unit = read
        lo = bisect.bisect_right(tables_from, (n, len(table_lines)))
        hi = bisect.bisect_right(tables_from, (n + CAPTION_REACH, len(table_lines)))
        if _repeats_table_total(values, unit, n, [table_lines[i] for _, i in tables_from[lo:hi]]):
            continue
        label_m = _LABEL.match(text)
        label = label_m.group("label").strip() if label_m else ""
        program = by_line.at(n)
        subject = _SUBJECT.search(text)
        if label and not _GENERIC_LABEL.search(squash(label)) and len(label) <= 20:
            name, dept, level = label, None, "total"
        elif subject and not label:
            name, dept, level = subject.group(1), None, "total"
        elif program is not None:
            name, dept, level = program.title, program.dept, "unit"
        else:
            doc.notes.append(f"예산 문장: {n}행의 금액이 무엇의 것인지 찾지 못했습니다")
            continue
        problem = _disagreement(name, values, unit, rows_by_name, n)
        if problem:
            doc.notes.append(f"예산 문장과 표가 다릅니다 — {problem}, 문장 {n}행")
        out.append(
            BudgetLine(
                table=f"{label} {PROSE_TABLE}" if label else PROSE_TABLE,
                unit=unit,
                dept=dept,
                level=level,
                name=name,
                values=values,
                order=len(out),
                source=Source(report_id=doc.report_id, doc=doc.doc, line=n),
            )
        )
    return out
