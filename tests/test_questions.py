"""The question set: questions written the way staff and managers ask, each with the
intent and slots the reader must find and the facts the answer must (and must not)
contain. Passes when >= 95 % are right and no answer states a wrong department, year or
figure (a `never` fact appearing is a wrong answer, counted apart from unhelpful ones).

Corpus questions are asked on 2021-09-06; the made-up office's (tests/handmade.py) on
2023-09-06. Run `pytest tests/test_questions.py -s` to print the failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from handlers.question import read
from handlers.render_text import render
from tests.handmade import build_store, context


@dataclass
class Q:
    text: str
    intent: str | None
    slots: dict = field(default_factory=dict)  # name, years, period, status, ranking
    must: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


ND = "뉴미디어담당관"
C = [
    # -- budget: a department, as people say it ------------------------------------------
    Q("뉴미디어담당관 예산", "budget", {"name": ND}, ("79억 914만원", "44.2%")),
    Q("뉴미디어담당관 예산 알려줘", "budget", {"name": ND}, ("79억 914만원",)),
    Q("뉴미디어담당관의 예산은?", "budget", {"name": ND}, ("79억 914만원",)),
    Q("뉴미디어 예산 얼마야?", "budget", {"name": ND}, ("79억 914만원", "'뉴미디어'을(를) '뉴미디어담당관'(으)로 이해했습니다")),
    Q("뉴 미디어 담당관 집행률", "budget", {"name": ND}, ("44.2%",)),
    Q("뉴미디어담당과 예산 좀", "budget", {"name": ND}, ("79억 914만원", "이해했습니다")),
    Q("뉴미디어담당관 집행률 어때?", "budget", {"name": ND}, ("44.2%",)),
    Q("뉴미디어담당관 집행액", "budget", {"name": ND}, ("34억 9,885만원",)),
    Q("국제교류담당관 예산", "budget", {"name": "국제교류담당관"}, ("국제교류담당관 예산 (2021)",)),
    Q("국제교류담당관 예산 현황 보여줘", "budget", {"name": "국제교류담당관"}, ("국제교류담당관 예산",)),
    Q("도시브랜드담당관 예산 얼마나 돼?", "budget", {"name": "도시브랜드담당관"}, ("도시브랜드담당관 예산 (2021)",)),
    Q("시민소통담당관 돈 얼마 썼어", "budget", {"name": "시민소통담당관"}, ("시민소통담당관 예산",)),
    Q("시민봉사담당관 집행률", "budget", {"name": "시민봉사담당관"}, ("시민봉사담당관 예산",)),
    Q("시민 예산", "budget", {}, ("시민봉사담당관", "시민소통담당관")),
    Q("2018 결산 뉴미디어", "budget", {"name": ND, "years": [2018]}, ("56억 2,326만원", "2018 회계연도 결산")),
    Q("2018년 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2018]}, ("58억 4,265만원",), ("79억 914만원",)),
    Q("'18년 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2018]}, ("58억 4,265만원",)),
    Q("18년 뉴미디어 결산", "budget", {"name": ND, "years": [2018]}, ("96.3%",)),
    Q("2016년 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2016]}, ("4,331백만원",)),
    Q("2019년 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2019]}, ("67억 3,917만원", "'19년 예산"), ("79억 914만원",)),
    Q("뉴미디어담당관 2019 예산은 얼마였어", "budget", {"name": ND, "years": [2019]}, ("67억 3,917만원",)),
    Q("올해 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2021]}, ("79억 914만원",)),
    Q("작년 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2020]}, ("2020년 자료가 없습니다",), ("79억 914만원",)),
    Q("재작년 뉴미디어 예산", "budget", {"name": ND, "years": [2019]}, ("67억 3,917만원",)),
    Q("내년 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2022]}, ("2022년 자료가 없습니다",), ("79억 914만원",)),
    Q("지난해 국제교류담당관 예산", "budget", {"name": "국제교류담당관", "years": [2020]}, ("2020년 자료가 없습니다",)),
    Q("2015년 뉴미디어담당관 예산", "budget", {"name": ND, "years": [2015]}, ("3,397",)),
    # -- budget: a program or row ----------------------------------------------------------
    Q("서울세계도시문화축제 예산", "budget", {"name": "서울세계도시문화축제"}, ("4억원", "48.3%", "국제교류담당관")),
    Q("서울세계도시문화축제 예산 얼마야", "budget", {"name": "서울세계도시문화축제"}, ("4억원",)),
    Q("세계도시문화축제 집행률", "budget", {}, ("48.3%",)),
    Q("뉴미디어 전략 마케팅 예산", "budget", {"name": "뉴미디어 전략 마케팅"}, ("14억 2,306만원", "32.7%")),
    Q("민간포털 협력 마케팅 집행률", "budget", {"name": "민간포털 협력 마케팅"}, ("33.4%",)),
    Q("서울시 홈페이지 운영 예산", "budget", {"name": "서울시 홈페이지 운영"}, ("15억 3,859만원",)),
    Q("시민 MCN 기반 구축 예산", "budget", {"name": "시민 MCN 기반 구축"}, ("0.4%",)),
    Q("120 다산콜재단 운영 예산", "budget", {}, ("245억",)),
    # -- the known wrong answer and its cousins ------------------------------------------
    Q("2018년이랑 2021년 뉴미디어 예산 비교", "compare", {"name": ND, "years": [2018, 2021]}, ("58억 4,265만원", "79억 914만원", "35.4%"), ("6,265만원", "실·국 전체", "연도별 추진 현황")),
    Q("2018년 예산", "budget", {"years": [2018]}, (), ("6,265만원", "연도별 추진 현황")),
    Q("2018년 예산 알려줘", "budget", {"years": [2018]}, (), ("6,265만원",)),
    Q("2019년 예산", "budget", {"years": [2019]}, (), ("6,198", "연도별 추진 현황")),
    # -- compare --------------------------------------------------------------------------
    Q("뉴미디어담당관 예산 비교", "compare", {"name": ND}, ("2015", "2021", "증감")),
    Q("뉴미디어담당관 2018 2021 비교", "compare", {"name": ND, "years": [2018, 2021]}, ("20억 6,649만원",)),
    Q("뉴미디어담당관 2018년 대비 2021년 예산", "compare", {"name": ND, "years": [2018, 2021]}, ("35.4%",)),
    Q("뉴미디어 예산 2018이랑 2019 차이", "compare", {"name": ND, "years": [2018, 2019]}, ("58억 4,265만원", "67억 3,917만원")),
    Q("뉴미디어담당관 예산 추이", "compare", {"name": ND}, ("2016", "2018", "2021")),
    Q("뉴미디어담당관 예산 2016~2021 변화", "compare", {"name": ND, "years": [2016, 2017, 2018, 2019, 2020, 2021]}, ("없는 해: 2017, 2020",)),
    Q("뉴미디어담당관 예산 작년이랑 올해 비교", "compare", {"name": ND, "years": [2020, 2021]}, ("한 해만",), ("증감 20억",)),
    Q("인터넷언론사 활용 시정안내 예산 비교", "compare", {}, ("2021",)),
    Q("민간포털 협력 마케팅 예산 비교", "compare", {"name": "민간포털 협력 마케팅"}, ("7억 5,600만원", "7억 2,200만원")),
    Q("뉴미디어 웹사이트 운영 2018 2021 비교", "compare", {"name": "뉴미디어 웹사이트 운영", "years": [2018, 2021]}, ("16억 9,095만원", "15억 4,007만원")),
    Q("국제교류담당관 예산 비교", "compare", {"name": "국제교류담당관"}, ("국제교류담당관 예산 비교",)),
    Q("/budget 뉴미디어담당관 비교 2018 2021", None, {}, ("≈ 인터넷언론사 활용 시정안내", "짝이 없는 행")),
    # -- ranking ---------------------------------------------------------------------------
    Q("집행률 낮은 사업", "budget", {"ranking": "low"}, ("집행률 낮은 사업", "시민 MCN 기반 구축"), ("여유자금 예치",)),
    Q("집행률 낮은 사업 알려줘", "budget", {"ranking": "low"}, ("0.4%",), ("여유자금 예치", "전출금")),
    Q("집행률이 저조한 사업", "budget", {"ranking": "low"}, ("집행률 낮은 사업",), ("여유자금 예치",)),
    Q("집행 부진 사업 뭐야", "budget", {"ranking": "low"}, ("집행률 낮은 사업",)),
    Q("집행률 높은 사업", "budget", {"ranking": "high"}, ("집행률 높은 사업",)),
    Q("뉴미디어담당관 집행률 낮은 사업", "budget", {"name": ND, "ranking": "low"}, ("뉴미디어 전략 마케팅", "32.7%")),
    Q("국제교류담당관 집행률 낮은 사업", "budget", {"name": "국제교류담당관", "ranking": "low"}, ("국제교류담당관",), ("여유자금 예치",)),
    Q("가장 큰 사업", "budget", {"ranking": "largest"}, ("예산이 큰 사업",)),
    Q("예산이 제일 큰 사업", "budget", {"ranking": "largest"}, ("120 다산콜재단 운영",)),
    Q("뉴미디어담당관에서 가장 큰 사업", "budget", {"name": ND, "ranking": "largest"}, ("뉴미디어 웹사이트 운영",)),
    # -- program ---------------------------------------------------------------------------
    Q("명예시민 사업", "program", {}, ("국제교류담당관", "명예시민증 수여식")),
    Q("명예시민 사업 알려줘", "program", {}, ("국제교류담당관",)),
    Q("외국인 명예시민 선정 사업 내용", "program", {}, ("누적수여자",)),
    Q("서울세계도시문화축제 사업 개요", "program", {}, ("국제교류담당관",)),
    Q("뉴미디어담당관 사업 뭐 있어", "program", {"name": ND}, ("뉴미디어담당관",)),
    Q("국제교류담당관 주요업무", "program", {"name": "국제교류담당관"}, ("국제교류담당관",)),
    Q("도시브랜드담당관 업무", "program", {"name": "도시브랜드담당관"}, ("도시브랜드담당관",)),
    Q("명예시장 사업", "program", {}, ("시민소통담당관",)),
    Q("시민청 사업 내용", "program", {}, ("시민청",)),
    Q("2016년 뉴미디어담당관 사업", "program", {"name": ND, "years": [2016]}, ("2016",)),
    # -- audit -----------------------------------------------------------------------------
    Q("감사 현황", "audit", {}, ("감사",)),
    Q("감사 지적사항", "audit", {}, ("건",)),
    Q("감사 지적사항 아직 안 끝난 거", "audit", {"status": "open"}, ("완료되지 않은 후속조치", "추진중"), ("완료  ",)),
    Q("미완료 감사", "audit", {"status": "open"}, ("완료되지 않은",)),
    Q("완료된 감사 지적사항", "audit", {"status": "done"}, ("완료",)),
    Q("도시브랜드담당관 감사", "audit", {"name": "도시브랜드담당관"}, ("총 10건", "완료 6")),
    Q("도시브랜드담당관 감사 현황", "audit", {"name": "도시브랜드담당관"}, ("총 10건",)),
    Q("도시브랜드담당관 감사 안 끝난 거", "audit", {"name": "도시브랜드담당관", "status": "open"}, ("총 4건",), ("완료 6",)),
    Q("도시브랜드담당관 미완료 지적사항", "audit", {"name": "도시브랜드담당관", "status": "open"}, ("총 4건",)),
    Q("도시브랜드담당관 완료된 감사", "audit", {"name": "도시브랜드담당관", "status": "done"}, ("총 6건",)),
    Q("시민소통담당관 감사 지적", "audit", {"name": "시민소통담당관"}, ("시민소통담당관 감사",)),
    Q("국제교류담당관 후속조치", "audit", {"name": "국제교류담당관"}, ("국제교류담당관",)),
    Q("2018 결산검사", "audit", {"years": [2018]}, ("2018",)),
    Q("진행 중인 감사 후속조치", "audit", {"status": "open"}, ("완료되지 않은",)),
    # -- upcoming --------------------------------------------------------------------------
    Q("다가오는 일정", "upcoming", {}, ("다가오는 일정",)),
    Q("일정 알려줘", "upcoming", {}, ("다가오는 일정",)),
    Q("다음 주 일정", "upcoming", {"period": "next_week"}, ("2021.9.13. ~ 2021.9.19.",)),
    Q("다음주 일정 뭐 있어?", "upcoming", {"period": "next_week"}, ("2021.9.13. ~ 2021.9.19.",)),
    Q("이번 주 일정", "upcoming", {"period": "this_week"}, ("2021.9.6. ~ 2021.9.12.",)),
    Q("이번 달 일정", "upcoming", {"period": "this_month"}, ("2021.9.6. ~ 2021.9.30.",)),
    Q("이달 행사", "upcoming", {"period": "this_month"}, ("2021.9.30.",)),
    Q("다음 달 일정", "upcoming", {"period": "next_month"}, ("2021.10.1. ~ 2021.10.31.", "서울세계도시문화축제")),
    Q("다음달 행사 뭐 있어", "upcoming", {"period": "next_month"}, ("서울세계도시문화축제",)),
    Q("오늘 일정", "upcoming", {"period": "today"}, ("2021.9.6.",)),
    Q("내일 일정", "upcoming", {"period": "tomorrow"}, ("2021.9.7.",)),
    Q("하반기 일정", "upcoming", {"period": "h2"}, ("2021.12.31.",)),
    Q("국제교류담당관 일정", "upcoming", {"name": "국제교류담당관"}, ("국제교류담당관",)),
    Q("국제교류담당관 다음 달 일정", "upcoming", {"name": "국제교류담당관", "period": "next_month"}, ("서울세계도시문화축제",), ("시민소통담당관",)),
    Q("국제교류담당관 하반기 일정", "upcoming", {"name": "국제교류담당관", "period": "h2"}, ("명예시민증 수여식",)),
    Q("시민소통담당관 행사 일정", "upcoming", {"name": "시민소통담당관"}, ("시민소통담당관",)),
    Q("90일 일정", "upcoming", {}, ("90일",)),
    Q("앞으로 90일 일정", "upcoming", {}, ("90일",)),
    Q("/upcoming -5", None, {}, ("1부터 3660까지",), ("찾을 수 없습니다",)),
    # -- when ------------------------------------------------------------------------------
    Q("서울세계도시문화축제 언제야?", "when", {}, ("2021.10.1.(금) ~ 10.10.(일)",)),
    Q("서울세계도시문화축제 언제 해?", "when", {}, ("2021.10.1.(금) ~ 10.10.(일)",)),
    Q("세계도시문화축제 언제", "when", {}, ("2021.10.1.(금)",)),
    Q("명예시민증 수여식 언제야", "when", {}, ("2021.11.19.(금)",)),
    Q("명예시민증 수여식 날짜", "when", {}, ("2021.11.19.(금)",)),
    Q("서울-하노이 친선결연 25주년 기념행사 언제?", "when", {}, ("2021.11.4.(목)",)),
    Q("메트로폴리스 총회 언제야", "when", {}, ("2021년",)),
    Q("서울-베이징 통합위원회 언제", "when", {}, ("2021.10.28.(목)",)),
    Q("/when 서울세계도시문화축제", None, {}, ("2021.10.1.(금) ~ 10.10.(일)",)),
    Q("/when", None, {}, ("/when 사업이나 행사 이름",)),
    # -- help and unclear --------------------------------------------------------------------
    Q("도움말", None, {}, ("명령",)),
    Q("예산 도움말", "budget", {}, ("/budget",)),
    Q("안녕하세요", None, {}, ("무엇을 찾으시는지",)),
    Q("뉴미디어담당관", None, {"name": ND}, ("뉴미디어담당관 예산", "뉴미디어담당관 사업", "추측해서 답하지 않습니다")),
    Q("명예시민", None, {}, ("추측해서 답하지 않습니다",)),
    Q("뉴미디어담당관 예산 빨리 좀 부탁", "budget", {"name": ND}, ("79억 914만원", "'빨리'")),
    Q("없는부서 예산", "budget", {}, ("찾을 수 없습니다",)),
    Q("우주항공담당관 예산", "budget", {}, ("찾을 수 없습니다",), ("79억",)),
    Q("기획조정실 예산", "budget", {"name": "기획조정실"}, ("기획조정실",)),
    Q("시장비서실 예산", "budget", {"name": "시장비서실"}, ("시장비서실",)),
    Q("시장비서실 2020 예산", "budget", {"name": "시장비서실", "years": [2020]}, ("시장비서실",)),
    Q("시민소통기획관 예산", "budget", {"name": "시민소통기획관"}, ("시민소통기획관",)),
]

H = [
    # -- the made-up office (2023-09-06): names the parser never saw ----------------------
    Q("데이터정책담당관 예산", "budget", {"name": "데이터정책담당관"}, ("79억 914만원", "44.2%")),
    Q("데이터정책 예산 얼마야", "budget", {"name": "데이터정책담당관"}, ("이해했습니다", "79억 914만원")),
    Q("데이터정책담당관 집행률 낮은 사업", "budget", {"name": "데이터정책담당관", "ranking": "low"}, ("데이터 사업 E", "5.2%")),
    Q("시민참여담당관 예산", "budget", {"name": "시민참여담당관"}, ("60억원",)),
    Q("시민 예산", "budget", {}, ("시민참여담당관", "시민안전담당관", "추측해서 답하지 않습니다")),
    Q("2021년 데이터혁신담당관 예산", "budget", {"name": "데이터혁신담당관", "years": [2021]}, ("2021 회계연도 결산", "96.3%")),
    Q("작년 데이터정책담당관 예산", "budget", {"name": "데이터정책담당관", "years": [2022]}, ("2022년 자료가 없습니다",), ("79억 914만원",)),
    Q("2021년 데이터정책담당관 예산", "budget", {"name": "데이터정책담당관", "years": [2021]}, ("데이터혁신담당관",), ("79억 914만원",)),
    Q("데이터정책담당관 2021 2023 비교", "compare", {"name": "데이터정책담당관", "years": [2021, 2023]}, ("없는 해: 2021", "데이터혁신담당관", "이름이 바뀌었을 수"), ("56억",)),
    Q("시민참여담당관 2021년이랑 2023년 예산 비교", "compare", {"name": "시민참여담당관", "years": [2021, 2023]}, ("32억 5,735만원", "60억원")),
    Q("올해 시민참여담당관 예산", "budget", {"name": "시민참여담당관", "years": [2023]}, ("60억원",)),
    Q("시민 정책축제 예산", "budget", {"name": "시민 정책축제"}, ("4억원", "48.3%")),
    Q("시민 정책축제 언제야", "when", {}, ("2023.10.5.(목)",)),
    Q("명예시민증 수여식 언제", "when", {}, ("2023.11.20.(월)",)),
    Q("데이터 포털 개편 언제야?", "when", {}, ("2023년 9월 ~ 11월",)),
    Q("시민 정책축제 개최 사업", "program", {}, ("시민참여담당관", "관람 3만명")),
    Q("데이터정책담당관 사업", "program", {"name": "데이터정책담당관"}, ("데이터 개방 확대",)),
    Q("시민참여담당관 감사", "audit", {"name": "시민참여담당관"}, ("축제 예산 절감",)),
    Q("시민참여담당관 감사 안 끝난 거", "audit", {"name": "시민참여담당관", "status": "open"}, ("명예시민 선정 기준 공개",), ("축제 예산 절감",)),
    Q("감사 미완료", "audit", {"status": "open"}, ("데이터 개방 확대",)),
    Q("다음 달 일정", "upcoming", {"period": "next_month"}, ("시민 정책축제",), ("명예시민증 수여식",)),
    Q("이번 달 일정", "upcoming", {"period": "this_month"}, ("데이터 포털 개편",), ("시민 정책축제",)),
    Q("시민참여담당관 일정", "upcoming", {"name": "시민참여담당관"}, ("명예시민증 수여식",)),
    Q("하반기 일정", "upcoming", {"period": "h2"}, ("하반기 안전 훈련",)),
    Q("집행률 낮은 사업", "budget", {"ranking": "low"}, ("데이터 사업 E",)),
    Q("가장 큰 사업", "budget", {"ranking": "largest"}, ("예산이 큰 사업",)),
    Q("데이터 개방 확대 언제", "when", {}, ("2023년 9월",)),
    Q("외국인 명예시민 선정 사업 예산", "budget", {}, ("45백만원",)),
    Q("시민안전담당관 집행률", "budget", {"name": "시민안전담당관"}, ("67.3%",)),
    Q("데이터정책담당관 예산 p2", "budget", {"name": "데이터정책담당관"}, ("2/2쪽",), ()),
]


def _ask(store, today: date, q: Q) -> tuple[list[str], str]:
    """The problems with one question's answer ([] when right) and the answer."""
    from handlers.dispatch import handle

    ctx = context(store, today)
    problems: list[str] = []
    if not q.text.startswith("/"):
        r = read(q.text, ctx)
        if r.intent != q.intent and not (q.intent is None and r.intent is None):
            problems.append(f"intent {r.intent} != {q.intent}")
        for slot, want in q.slots.items():
            got = r.name if slot == "name" else getattr(r, slot)
            if got != want:
                problems.append(f"{slot} {got!r} != {want!r}")
    text = render(handle(q.text, ctx))
    for fact in q.must:
        if fact not in text:
            problems.append(f"missing {fact!r}")
    for fact in q.never:
        if fact in text:
            problems.append(f"WRONG: states {fact!r}")
    return problems, text


@pytest.fixture(scope="module")
def results(corpus, tmp_path_factory) -> list[tuple[Q, list[str], str]]:
    made = build_store(tmp_path_factory.mktemp("qmade") / "db.json")
    out = [(q, *_ask(corpus, date(2021, 9, 6), q)) for q in C]
    out += [(q, *_ask(made, date(2023, 9, 6), q)) for q in H]
    return out


def test_the_question_set_has_at_least_150_questions() -> None:
    assert len(C) + len(H) >= 150


def test_at_least_95_percent_of_questions_are_answered_right(results) -> None:
    failed = [(q.text, p) for q, p, _ in results if p]
    rate = 1 - len(failed) / len(results)
    print(f"\nquestion set: {len(results) - len(failed)}/{len(results)} right ({rate:.1%})")
    for text, problems in failed:
        print(f"  FAIL {text!r}: {'; '.join(problems)}")
    assert rate >= 0.95, failed


def test_no_answer_states_a_wrong_department_year_or_figure(results) -> None:
    wrong = [(q.text, [p for p in problems if p.startswith("WRONG")]) for q, problems, _ in results if any(p.startswith("WRONG") for p in problems)]
    assert wrong == []


def test_with_a_pinned_date_a_report_printed_after_it_is_not_yet_known(corpus) -> None:
    from bot.clock import AsOfClock
    from handlers.commands import build_registry
    from handlers.context import Context
    from handlers.dispatch import handle

    ctx = Context(store=corpus, clock=AsOfClock(date(2019, 6, 20)), commands=build_registry())
    text = render(handle("작년 뉴미디어담당관 예산", ctx))
    assert "2018 회계연도 결산" in text and "58억 4,265만원" in text
    assert "79억 914만원" not in text and "2021" not in text.split("※")[0]
