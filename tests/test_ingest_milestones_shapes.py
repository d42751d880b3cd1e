"""Milestones and programs in the shapes other offices print (made-up reports, not copies
of any development document): plan-year titles, 【국】-grouped program lists, Markdown
bodies with '(부서)' sub-sections, 행사개요 periods, several dates on one line, event
tables with a date and a 담당부서 column, report-level 향후 일정 parts — and the dates
that must not become milestones (추진경과, 검사기간, 감사 answers, 매월/연중)."""

from __future__ import annotations

from datetime import date

from bot.ingest.milestones import parse_milestones
from bot.ingest.numbers import amount_in_thousands
from bot.ingest.programs import parse_programs
from bot.ingest.text import Document
from bot.models import Milestone, Precision, Program


def _read(text: str, report_date: date, precision: Precision = Precision.DAY) -> tuple[list[Program], list[Milestone]]:
    doc = Document(doc="made-up.txt", report_id="made-up", lines=text.split("\n"))
    doc.report_date = report_date
    doc.report_date_precision = precision
    programs = parse_programs(doc, [], [])
    return programs, parse_milestones(doc, programs, [])


def _by_line(ms: list[Milestone]) -> dict[int, list[Milestone]]:
    out: dict[int, list[Milestone]] = {}
    for m in ms:
        out.setdefault(m.source.line, []).append(m)
    return out


NEXT_YEAR_PLAN = """
2031년 주요업무계획

가온군청 | 2030. 12.

Ⅰ. 2031년 군정 방향

  ◆ 비전 : 「함께 크는 가온」

Ⅱ. 2031년 주요업무 추진계획

  【미래전략국】
    1. 군민 제안사업 공모 확대

  【생활복지국】
    2. 1인가구 안심 돌봄망 구축
    3. 경로당 건강교실 운영

1. 군민 제안사업 공모 확대

  가. 추진방향
    ○ 군민이 제안하고 결정하는 사업 규모 확대 (3억원 → 5억원)

  나. 세부 추진계획
    ○ 2032년 제안사업 공모 : 2월 ~ 3월
    ○ 제안사업 심사위원회 개최 : 2031. 5. 20.(화)
    ○ 하반기 집행 점검 : 매월
    ○ 제안사업 성과 공유회 : 11월 말

  다. 사업비 : 5억원 (군비 100%)

2. 1인가구 안심 돌봄망 구축

  가. 추진방향
    ○ 중장년 1인가구 안부 확인 서비스 대상 확대

  나. 세부 추진계획
    ○ 안부 확인 기기 설치 (500가구) : 상반기
    ○ 돌봄 이웃 모임 발대식 : 2031. 4. 12.(토)
    ○ 안부 확인 서비스 운영 : 연중
    ○ 위험가구 실태조사 : '31.6.~8.

  다. 사업비 : 7억 3천만원 (도비 40%, 군비 60%)

3. 경로당 건강교실 운영

  가. 추진방향
    ○ 경로당 30개소에서 건강교실 운영

  나. 세부 추진계획
    ○ 건강교실 강사 모집 : 2/4분기
    ○ 건강교실 운영 : 5월 ~ 10월

  다. 사업비 : 2억원 (군비 100%)
"""


def test_a_december_report_of_next_years_plan_dates_year_less_items_in_that_year() -> None:
    programs, ms = _read(NEXT_YEAR_PLAN, date(2030, 12, 1), Precision.MONTH)
    assert [(p.title, p.dept) for p in programs] == [
        ("군민 제안사업 공모 확대", "미래전략국"),
        ("1인가구 안심 돌봄망 구축", "생활복지국"),
        ("경로당 건강교실 운영", "생활복지국"),
    ]
    assert [p.budget_text for p in programs] == ["5억원", "7억 3천만원", "2억원"]
    assert amount_in_thousands(programs[1].budget_text) == (730000.0, 5000.001)
    got = {(m.title, m.start, m.end, m.precision) for m in ms}
    assert got == {
        # the year in the item's name ('2032년 … 공모') is not the year of its dates
        ("2032년 제안사업 공모", date(2031, 2, 1), date(2031, 3, 1), Precision.MONTH),
        ("제안사업 심사위원회 개최", date(2031, 5, 20), None, Precision.DAY),
        ("제안사업 성과 공유회", date(2031, 11, 1), None, Precision.MONTH),
        ("안부 확인 기기 설치 (500가구)", date(2031, 1, 1), None, Precision.HALF),
        ("돌봄 이웃 모임 발대식", date(2031, 4, 12), None, Precision.DAY),
        ("위험가구 실태조사", date(2031, 6, 1), date(2031, 8, 1), Precision.MONTH),
        ("건강교실 강사 모집", date(2031, 4, 1), None, Precision.QUARTER),
        ("건강교실 운영", date(2031, 5, 1), date(2031, 10, 1), Precision.MONTH),
    }
    assert {m.dept for m in ms if m.program == "1인가구 안심 돌봄망 구축"} == {"생활복지국"}


MARKDOWN_ONE_PROGRAM = """# 한빛구 보건소 업무보고

(2035. 3. 4. 보건복지위원회)

## Ⅰ. 일반현황

### 1. 조직 : 소장 - 2과 1센터

### 2. 인력 (2035. 2. 28. 현재)

## Ⅱ. 2035년 주요업무

1. 누구나 건강한 한빛 만들기

---

### 1. 누구나 건강한 한빛 만들기

주민 누구나 생애주기에 맞는 건강관리 서비스를 받도록 보건소와 센터의 서비스를 잇는다

#### 가. 감염병 예방 (감염관리과)

- 감염병 대응 합동훈련 : 5월 중
- 노인 폐렴구균 예방접종 : 2035. 9. 15.(토)부터
- 방역 취약시설 점검 : 매월

#### 나. 정신건강 지원 (마음건강센터)

- 청소년 마음검진 : 상반기
- 자살예방 걷기행사 : 2035. 9. 8.(토)
- 24시간 위기상담 : 연중
"""


def test_markdown_sub_sections_give_their_unit_to_the_items_under_them() -> None:
    programs, ms = _read(MARKDOWN_ONE_PROGRAM, date(2035, 3, 4))
    assert [p.title for p in programs] == ["누구나 건강한 한빛 만들기"]
    got = sorted((m.title, m.start, m.dept) for m in ms)
    assert got == sorted([
        ("감염병 대응 합동훈련", date(2035, 5, 1), "감염관리과"),
        ("노인 폐렴구균 예방접종", date(2035, 9, 15), "감염관리과"),  # '…부터': it starts that day
        ("청소년 마음검진", date(2035, 1, 1), "마음건강센터"),  # a half still running at the report
        ("자살예방 걷기행사", date(2035, 9, 8), "마음건강센터"),
    ])


FESTIVAL_STATUS = """
주요업무 추진상황 보고

2040년 5월 2일(수)

관광진흥국

Ⅰ. 주요업무 추진상황

  1. 2040 강변 등불축제 개최
  2. 2040년 골목 음악회 운영

1. 2040 강변 등불축제 개최

  강변 일대를 등불로 밝히는 여름 축제를 열어 야간 관광을 활성화

  □ 행사개요
    ○ 기간 : 2040. 7. 20.(금) ~ 8. 5.(일)
    ○ 장소 : 강변공원 일대

  □ 추진경과
    ○ 기본계획 수립 : '40. 2월
    ○ 참여 작가 공모 : '40. 6. 1. ~ 6. 10.

  □ 향후계획
    ○ 「2040 강변 등불축제」 개최 : 2040. 7. 20.(금) ~ 8. 5.(일)
      - 개막식 : 2040. 7. 20.(금) 강변무대
    ○ 등불 작품 전시 : 2040. 6. 15.(금) ~ 6. 20.(수) 사전 공개, 본 전시 '40. 9월까지
    ○ 만족도 조사 및 결과보고 : '40.下

2. 2040년 골목 음악회 운영

  매월 마지막 주 토요일 골목 공연을 열어 생활 속 음악 향유 확대

  □ 추진상황
    ○ 1월 ~ 4월 4회 운영

  □ 향후계획
    ○ 여름 특별 공연 : 2040. 6. 30.(토), 7. 28.(토), 8. 25.(토)
    ○ 공연 운영 : 매월 (마지막 주 토요일)

Ⅱ. 하반기 주요 행사 일정

  (2040. 5. 1. 기준)

연번	행 사 명	일    정	장    소	담당부서
1	강변 불꽃 축제	2040. 9. 14.(금) ~ 9. 15.(토)	강변공원	관광정책과
2	전통시장 먹거리 장터	10월 중	중앙시장	지역경제과
3	야간 박물관 음악회	매월 마지막 주 금요일	시립박물관	문화시설과
"""


def test_event_periods_several_dates_on_a_line_and_an_events_table() -> None:
    programs, ms = _read(FESTIVAL_STATUS, date(2040, 5, 2))
    assert [p.title for p in programs] == ["2040 강변 등불축제 개최", "2040년 골목 음악회 운영"]
    lines = FESTIVAL_STATUS.split("\n")
    at = _by_line(ms)

    def line_of(text: str) -> int:
        return next(i + 1 for i, t in enumerate(lines) if text in t)

    (period,) = at[line_of("○ 기간 : 2040. 7. 20.")]
    assert (period.start, period.end) == (date(2040, 7, 20), date(2040, 8, 5))
    assert period.title.startswith("2040 강변 등불축제")
    # 추진경과 dates are past facts
    assert line_of("기본계획 수립") not in at and line_of("참여 작가 공모") not in at
    (opening,) = at[line_of("- 개막식")]
    assert "등불축제" in opening.title and opening.title.endswith("개막식")
    # '본 전시 … 9월까지' is how long the preview's exhibition runs, not an item of its own
    (preview,) = at[line_of("등불 작품 전시")]
    assert (preview.title, preview.start, preview.end) == ("등불 작품 전시", date(2040, 6, 15), date(2040, 6, 20))
    (survey,) = at[line_of("만족도 조사")]
    assert (survey.start, survey.precision) == (date(2040, 7, 1), Precision.HALF)
    concerts = at[line_of("여름 특별 공연")]
    assert [(m.title, m.start) for m in concerts] == [
        ("여름 특별 공연", date(2040, 6, 30)), ("여름 특별 공연", date(2040, 7, 28)), ("여름 특별 공연", date(2040, 8, 25)),
    ]
    assert line_of("1월 ~ 4월 4회 운영") not in at
    table = [(m.title, m.start, m.end, m.dept) for m in ms if m.source.line > line_of("Ⅱ. 하반기")]
    assert table == [
        ("강변 불꽃 축제", date(2040, 9, 14), date(2040, 9, 15), "관광정책과"),
        ("전통시장 먹거리 장터", date(2040, 10, 1), None, "지역경제과"),
    ]
    assert all(m.program == "하반기 주요 행사 일정" for m in ms if m.source.line > line_of("Ⅱ. 하반기"))


SETTLEMENT_WITH_SCHEDULE = """
2033회계연도 세입·세출 결산 보고

누리구 재정관리과

2034년 6월 10일(월)

Ⅰ. 결산 개요

1. 결산검사

  ○ 검사위원 : 4명
  ○ 검사기간 : 2034. 4. 1. ~ 4. 20. (20일간)

Ⅱ. 결산검사 의견 및 조치결과

가. 시정요구사항

1. 이월사업 조기 집행 대책을 마련할 것 (도로과)
  ▶ 조치결과 : 이월사업 2건 월별 점검 중이며, '34. 10월 준공 예정 (추진중)

Ⅲ. 향후 일정

  ○ 결산 승인안 본회의 의결 : 2034. 6. 21.(금)
  ○ 결산 승인 결과 보고 : 승인 후 5일 이내
  ○ 재정운용 결과 공시 : '34. 8월 말
  ○ 결산 사후 점검 : 연중
"""


def test_a_report_level_schedule_outside_programs_and_the_dates_that_are_not_plans() -> None:
    programs, ms = _read(SETTLEMENT_WITH_SCHEDULE, date(2034, 6, 10))
    assert programs == []
    assert [(m.title, m.start, m.precision, m.program) for m in ms] == [
        ("결산 승인안 본회의 의결", date(2034, 6, 21), Precision.DAY, "향후 일정"),
        ("재정운용 결과 공시", date(2034, 8, 1), Precision.MONTH, "향후 일정"),
    ]
    assert {m.dept for m in ms} == {"재정관리과"}  # the issuing unit owns its own schedule


def test_a_dated_label_value_keeps_a_half_in_the_label_as_part_of_the_name() -> None:
    text = """
Ⅰ. 향후 추진계획

  ○ 하반기 시민 토론회 : 2036. 9. 3.(수), 10. 15.(수)
"""
    _, ms = _read(text, date(2036, 5, 1))
    assert [(m.title, m.start, m.precision) for m in ms] == [
        ("하반기 시민 토론회", date(2036, 9, 3), Precision.DAY),
        ("하반기 시민 토론회", date(2036, 10, 15), Precision.DAY),
    ]


def test_many_dates_on_one_long_line_stay_fast() -> None:
    import time

    line = "  ○ 정기 점검 : " + ", ".join(f"{m}. {d}.(월)" for m in range(1, 13) for d in range(1, 29)) * 6
    text = "Ⅰ. 향후 일정\n" + line + "\n" + ("가" * 20000)
    started = time.perf_counter()
    _, ms = _read(text, date(2037, 1, 1))
    assert time.perf_counter() - started < 5.0
    assert len(ms) == 12 * 28
