"""Tables in every shape a conversion prints (Markdown, HTML, pdftotext -layout) are read
into the same tab-separated rows as the converter's TSV, on the same line numbers.

The documents below are made up (other offices, other figures, the same structures);
the last tests re-render the sample report's budget tables in each shape and check the
budget lines read from each rendering are the ones read from the TSV original."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bot.ingest.parse import parse_bytes
from bot.ingest.tables import find_blocks
from bot.ingest.text import Document, decode_report, document_from_bytes
from bot.models import BudgetLine

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "reports" / "2021-09-06_시민소통기획관_주요업무보고.txt"


def doc_of(text: str) -> Document:
    return document_from_bytes("shape.txt", text.encode("utf-8"))


def grid(doc: Document) -> list[list[tuple[int, list[str]]]]:
    return [[(r.line, r.cells) for r in b.header + b.body] for b in find_blocks(doc)]


def budget(text: str) -> list[tuple]:
    lines = parse_bytes("shape.txt", text.encode("utf-8")).budget_lines
    return [(b.name, b.dept, b.level, b.unit, b.values, b.source.line) for b in lines]


# --- Markdown --------------------------------------------------------------------------

MARKDOWN = """# 한솔구 환경녹지국 주요업무보고

(2024. 3. 4. 환경복지위원회)

## 1. 예산 집행현황

(2024. 2. 29. 기준, 단위 : 천원)

| 구 분 | 예산현액 | 집행액 | 집행률 |
|---|---:|---:|---:|
| **합 계** | 9,800 | 4,900 | 50.0% |
| **공원녹지과** | 6,000 | 3,300 | 55.0% |
| 가로수 정비 | 4,000 | 2,500 | 62.5% |
| 공원 \\| 쉼터 조성 | 2,000 | 800 | 40.0% |

- 2 -

| 구 분 | 예산현액 | 집행액 | 집행률 |
|---|---:|---:|---:|
| **기후환경과** | 3,800 | 1,600 | 42.1% |
| 탄소중립 실천 | 3,800 | 1,600 | - |

주소 | 한솔구 중앙로 1
"""


def test_markdown_pipe_table_becomes_rows_on_the_same_lines():
    doc = doc_of(MARKDOWN)
    assert len(doc.lines) == len(MARKDOWN.split("\n")) - 1
    assert grid(doc) == [
        [
            (9, ["구 분", "예산현액", "집행액", "집행률"]),
            (11, ["합 계", "9,800", "4,900", "50.0%"]),
            (12, ["공원녹지과", "6,000", "3,300", "55.0%"]),
            (13, ["가로수 정비", "4,000", "2,500", "62.5%"]),
            (14, ["공원 | 쉼터 조성", "2,000", "800", "40.0%"]),
        ],
        [
            (18, ["구 분", "예산현액", "집행액", "집행률"]),
            (20, ["기후환경과", "3,800", "1,600", "42.1%"]),
            (21, ["탄소중립 실천", "3,800", "1,600", "-"]),
        ],
    ]
    assert [r.bold for r in find_blocks(doc)[0].body] == [True, True, False, False]
    assert doc.lines[9] == "\t"  # the |---| separator stays inside the table
    assert doc.lines[22] == "주소 | 한솔구 중앙로 1"  # one pipe in a sentence is no table


def test_markdown_budget_lines_read_through_the_parser():
    got = budget(MARKDOWN)
    assert [(n, d, unit, line) for n, d, _, unit, _, line in got] == [
        ("합계", None, "천원", 11),
        ("공원녹지과", "공원녹지과", "천원", 12),
        ("가로수 정비", "공원녹지과", "천원", 13),
        ("공원 | 쉼터 조성", "공원녹지과", "천원", 14),
        ("기후환경과", "기후환경과", "천원", 20),
        ("탄소중립 실천", "기후환경과", "천원", 21),
    ]
    assert got[0][4] == {"예산현액": 9800, "집행액": 4900, "집행률": 50.0}
    assert got[5][4] == {"예산현액": 3800, "집행액": 1600, "집행률": 0.0}


# --- HTML ------------------------------------------------------------------------------

HTML = """새빛시 문화관광국 주요업무보고

2023. 7. 10.

1. 예산 집행현황

(2023. 6. 30. 기준, 단위 : 백만원)

<table border="1">
<tr><th rowspan="2">구&nbsp;분</th><th rowspan="2">예산현액</th><th colspan="2">집&nbsp;행</th></tr>
<tr><th>금액</th><th>비율</th></tr>
<tr><td><strong>합 계</strong></td><td>1,500</td><td>600</td><td>40.0</td></tr>
<tr><td><b>관광진흥과</b></td><td align="right">1,000</td><td>450</td><td>45.0</td></tr>
<tr>
  <td>야간관광 활성화</td><td>1,000</td>
  <td>450</td><td>45.0</td>
</tr>
<tr><td><p><b>문화예술과</b></p></td><td>500</td><td>150</td><td>30.0</td></tr>
<tr><td>거리공연 &amp; 버스킹 지원</td><td>500</td><td>150</td><td>30.0</td></tr>
</table>

2. 기금 운용현황

(단위 : 천원)
<table><caption>체육진흥기금</caption><tr><td>구분</td><td>조성액</td><td>사용액</td></tr><tr><td>합계</td><td>300</td><td>120</td></tr><tr><td>생활체육 지원</td><td>300</td><td>120</td></tr></table>

요구\t<table><tr><td>x</td></tr></table>
"""


def test_html_table_grid_keeps_spans_empty_and_rows_on_their_lines():
    doc = doc_of(HTML)
    blocks = grid(doc)
    assert blocks[0] == [
        (10, ["구 분", "예산현액", "집 행"]),
        (11, ["", "", "금액", "비율"]),
        (12, ["합 계", "1,500", "600", "40.0"]),
        (13, ["관광진흥과", "1,000", "450", "45.0"]),
        (14, ["야간관광 활성화", "1,000", "450", "45.0"]),
        (18, ["문화예술과", "500", "150", "30.0"]),
        (19, ["거리공연 & 버스킹 지원", "500", "150", "30.0"]),
    ]
    assert doc.lines[8] == "" and doc.lines[19] == ""  # <table> and </table> lines
    assert doc.lines[14:17] == ["\t", "\t", "\t"]  # the rest of a row printed over four lines
    assert [r.bold for r in find_blocks(doc)[0].body] == [True, True, False, True, False]
    # a whole table on one line: every row is read on that line, the caption is noted
    assert blocks[1] == [(25, ["구분", "조성액", "사용액"]), (25, ["합계", "300", "120"]), (25, ["생활체육 지원", "300", "120"])]
    assert any("25행" in n and "체육진흥기금" in n for n in doc.notes)
    assert doc.lines[26] == "요구\t<table><tr><td>x</td></tr></table>"  # a table inside a tabbed cell


def test_html_budget_lines_read_through_the_parser():
    got = budget(HTML)
    assert [(n, d, unit, v, line) for n, d, _, unit, v, line in got] == [
        ("합계", None, "백만원", {"예산현액": 1500, "집행금액": 600, "집행비율": 40.0}, 12),
        ("관광진흥과", "관광진흥과", "백만원", {"예산현액": 1000, "집행금액": 450, "집행비율": 45.0}, 13),
        ("야간관광 활성화", "관광진흥과", "백만원", {"예산현액": 1000, "집행금액": 450, "집행비율": 45.0}, 14),
        ("문화예술과", "문화예술과", "백만원", {"예산현액": 500, "집행금액": 150, "집행비율": 30.0}, 18),
        ("거리공연 & 버스킹 지원", "문화예술과", "백만원", {"예산현액": 500, "집행금액": 150, "집행비율": 30.0}, 19),
        ("합계", None, "천원", {"조성액": 300, "사용액": 120}, 25),
        ("생활체육 지원", None, "천원", {"조성액": 300, "사용액": 120}, 25),
    ]


# --- pdftotext -layout -------------------------------------------------------------------

LAYOUT = """푸른군 2023회계연도 세출 결산 보고

2024. 5. 20.

1. 회계별 세출 결산

(단위 : 천원)

                          예산현액         지출액      다음연도        집행률
구    분                       (A)            (B)       이월액(C)    (B/A, %)
합    계                    52,400         48,100         1,300          91.8
일반회계                    40,000         37,500         1,000          93.8
기타특별회계                12,400         10,600           300          85.5
  상수도특별회계             9,000          7,800           300          86.7
  공영개발특별회계           3,400          2,800             -          82.4

                                   - 3 -
\f
                          예산현액         지출액      다음연도        집행률
구    분                       (A)            (B)       이월액(C)    (B/A, %)
  농어촌특별회계             1,000            900           100          90.0

  ○ 주요 사업 : 군도 확포장 3,200천원, 하천 정비 1,100천원
    - 상반기 점검  12건  3,400천원
    - 하반기 추가 점검 대상 시설      7건        1,150천원
"""


def test_layout_columns_found_from_the_figures_and_header_merged_per_column():
    doc = doc_of(LAYOUT)
    head = ["구 분", "예산현액 (A)", "지출액 (B)", "다음연도 이월액(C)", "집행률 (B/A, %)"]
    assert grid(doc) == [
        [
            (9, head),
            (11, ["합 계", "52,400", "48,100", "1,300", "91.8"]),
            (12, ["일반회계", "40,000", "37,500", "1,000", "93.8"]),
            (13, ["기타특별회계", "12,400", "10,600", "300", "85.5"]),
            (14, ["상수도특별회계", "9,000", "7,800", "300", "86.7"]),
            (15, ["공영개발특별회계", "3,400", "2,800", "-", "82.4"]),
        ],
        [(19, head), (21, ["농어촌특별회계", "1,000", "900", "100", "90.0"])],
    ]
    assert doc.lines[9] == "\t" and doc.lines[19] == "\t"  # the header's second line
    # prose and a bullet list whose figures do not line up stay as printed
    src = LAYOUT.split("\n")
    assert doc.lines[22:] == src[22:25]


def test_layout_budget_lines_read_through_the_parser_and_joined_over_the_page_break():
    got = budget(LAYOUT)
    assert [(n, line) for n, _, _, _, _, line in got] == [
        ("합계", 11), ("일반회계", 12), ("기타특별회계", 13), ("상수도특별회계", 14),
        ("공영개발특별회계", 15), ("농어촌특별회계", 21),
    ]
    assert {u for _, _, _, u, _, _ in got} == {"천원"}
    assert list(got[4][4].values()) == [3400, 2800, 0, 82.4]  # '-' is zero
    assert list(got[4][4])[:2] == ["예산현액", "지출액"]


def test_layout_needs_two_rows_of_figures_in_the_same_columns_or_a_header():
    one = "예산 현황은 다음과 같음\n합  계     1,000       500\n\n끝"
    assert doc_of(one).lines == one.split("\n")
    ragged = "가나 사업   1,000   2,000\n다라마바사 사업 추진       300         4,000       5\n"
    assert doc_of(ragged).lines == ragged.rstrip("\n").split("\n")


# --- the sample report's budget tables in every shape ---------------------------------------


def _sample_lines() -> list[str]:
    return decode_report(SAMPLE.read_bytes()).replace("\r\n", "\n").split("\n")


def _budget_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based line indexes of the tab runs that hold budget rows."""
    parsed = parse_bytes("tsv.txt", "\n".join(lines).encode("utf-8"))
    rows = {b.source.line - 1 for b in parsed.budget_lines}
    out = []
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j + 1 < len(lines) and "\t" in lines[j + 1]:
                j += 1
            if any(i <= r <= j for r in rows):
                out.append((i, j))
            i = j + 1
        else:
            i += 1
    return out


def _cells(line: str) -> list[str]:
    return [" ".join(c.split()) for c in line.split("\t")]


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def render_markdown(rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    return out[:1] + ["|" + "|".join("---" if j == 0 else "---:" for j in range(len(rows[0]))) + "|"] + out[1:]


def render_html(rows: list[list[str]]) -> list[str]:
    out = ["<tr>" + "".join(f"<td>{c.replace('&', '&amp;')}</td>" for c in r) + "</tr>" for r in rows]
    out[0] = '<table border="1">' + out[0]
    out[-1] += "</table>"
    return out


def render_html_one_line(rows: list[list[str]]) -> list[str]:
    return ["".join(render_html(rows))] + [""] * (len(rows) - 1)


def render_layout(rows: list[list[str]]) -> list[str]:
    """Label left, figures right-aligned; each header name printed over two lines (its
    first half above its second), as a narrow column would print it."""
    head = [[c[: len(c) // 2], c[len(c) // 2 :]] if j else ["", c] for j, c in enumerate(rows[0])]
    body = rows[1:]
    ncol = max(len(r) for r in rows)
    widths = [max(_width(r[j]) if j < len(r) else 0 for r in body + [h for h in zip(*head, strict=True)]) for j in range(ncol)]

    def line(cells: list[str]) -> str:
        out = cells[0] + " " * (widths[0] - _width(cells[0]))
        for j in range(1, ncol):
            c = cells[j] if j < len(cells) else ""
            out += "    " + " " * (widths[j] - _width(c)) + c
        return out.rstrip()

    return [line([h[0] for h in head]), line([h[1] for h in head])] + [line(r) for r in body]


def _rerender(render) -> str:
    lines = _sample_lines()
    blocks = _budget_blocks(lines)
    out: list[str] = []
    prev = 0
    for first, last in blocks:
        out.extend(lines[prev:first])
        out.extend(render([_cells(x) for x in lines[first : last + 1]]))
        prev = last + 1
    out.extend(lines[prev:])
    return "\n".join(out)


def _key(b: BudgetLine) -> tuple:
    return (b.name, b.dept, b.unit, b.as_of, b.level, b.table, tuple(sorted(b.values.items())))


@pytest.fixture(scope="module")
def tsv_budget() -> list[tuple]:
    parsed = parse_bytes("tsv.txt", SAMPLE.read_bytes())
    assert len(parsed.budget_lines) == 79
    return [_key(b) for b in parsed.budget_lines]


@pytest.mark.parametrize("render", [render_markdown, render_html, render_html_one_line, render_layout])
def test_sample_budget_tables_read_the_same_in_every_shape(render, tsv_budget):
    text = _rerender(render)
    assert text != "\n".join(_sample_lines())
    parsed = parse_bytes("shape.txt", text.encode("utf-8"))
    assert [_key(b) for b in parsed.budget_lines] == tsv_budget


def test_layout_sentence_between_two_tables_ends_the_first_and_each_is_read():
    text = (
        "구    분        정원      현원\n"
        "가람과            12        11\n"
        "나래과             9         9\n"
        "※ 휴직 2명 포함\n"
        "구    분        2022년        2023년       증감\n"
        "가람과             100           120         20\n"
        "나래과              80            70        △10\n"
    )
    doc = doc_of(text)
    assert grid(doc) == [
        [(1, ["구 분", "정원", "현원"]), (2, ["가람과", "12", "11"]), (3, ["나래과", "9", "9"])],
        [(5, ["구 분", "2022년", "2023년", "증감"]), (6, ["가람과", "100", "120", "20"]), (7, ["나래과", "80", "70", "△10"])],
    ]
    assert doc.lines[3] == "※ 휴직 2명 포함"
