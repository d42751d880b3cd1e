"""/help, mentions, free-text questions, comparisons, /when and charts."""

from __future__ import annotations

# -- /help, /reportbot, @mentions -----------------------------------------------------
HELP_COMMAND_SUMMARY = "명령 목록과 사용법"
REPORTBOT_COMMAND_SUMMARY = "모든 명령의 통합 입구 (/reportbot budget 뉴미디어담당관)"
HELP_TITLE = "reportbot 사용법"
HELP_INTRO = "업무보고·결산 보고서에서 예산, 주요업무, 감사 후속조치, 일정을 찾아 드립니다."
HELP_COL_COMMAND = "명령"
HELP_COL_WHAT = "하는 일"
HELP_EXAMPLES = "예시"
HELP_TIPS = "알아 두면 좋은 점"
HELP_TIP_LINES = (
    "이름은 띄어쓰기·일부·오타가 있어도 찾습니다(뉴 미디어, 뉴미디어, 뉴미디어담당과).",
    "비슷한 이름이 여럿이면 추측하지 않고 후보를 보여 드립니다.",
    "연도를 붙이면 그 해 보고서로 답합니다. 결산은 회계연도로 부릅니다(2018 → 2018 회계연도 결산).",
    "긴 목록은 쪽 번호를 붙여 넘깁니다: /budget 뉴미디어담당관 p2",
)
HELP_DETAIL_HINT = "명령별 자세한 사용법: /help budget, /help audit …"
HELP_ACTION = "/{name} 사용법"
HELP_COMMAND_TITLE = "/{name} 사용법"
HELP_USAGE_HEADING = "사용법"
HELP_ADMIN_MARK = " (관리자)"
HELP_ADMIN_NOTE = "설정에 등록된 관리자만 사용할 수 있습니다."
HELP_UNKNOWN = "'/{name}' 명령은 없습니다. 아래 목록에서 골라 주세요."
HELP_USAGE: dict[str, dict[str, list[str]]] = {
    "budget": {
        "usage": [
            "/budget — 실·국 전체 예산을 부서별로",
            "/budget 부서이름 [연도] — 부서의 예산현액·집행액·집행률과 사업별 내역(집행률 낮은 순)",
            "/budget 사업이름 [연도] — 예산 표의 한 행과 그 소속 부서",
            "/budget 실·국이름 [연도] — 그 실·국 보고서의 예산 총괄",
            "연도: 2021, 2018(결산은 회계연도) · 쪽: 끝에 p2, p3 …",
        ],
        "examples": ["/budget 뉴미디어담당관", "/budget 뉴미디어 2018", "/budget 서울세계도시문화축제", "/budget"],
    },
    "program": {
        "usage": [
            "/program 사업이름 [연도] — 담당 부서, 사업개요, 예산, 추진실적, 향후계획과 일정",
            "/program 부서이름 — 그 부서의 주요업무 목록",
        ],
        "examples": ["/program 명예시민", "/program 세계도시문화축제", "/program 국제교류담당관"],
    },
    "audit": {
        "usage": [
            "/audit [연도] — 상태별 건수(보고서 총괄표와 본문 집계)와 부서별 현황",
            "/audit 부서이름 — 그 부서의 후속조치와 상태",
            "/audit open · /audit done — 미완료 · 완료 항목",
            "/audit 번호 [연도] — 한 항목의 요구사항, 조치결과, 향후계획",
            "/audit done 번호 [메모] — 완료로 기록(관리자). 다른 연도: /audit done 2018:2",
        ],
        "examples": ["/audit", "/audit 도시브랜드담당관", "/audit open", "/audit 7"],
    },
    "upcoming": {
        "usage": [
            "/upcoming — 오늘부터 30일 안의 일정",
            "/upcoming 일수 — 그 기간의 일정 (예: 90)",
            "/upcoming 부서이름 [일수] — 그 부서의 일정",
            "/upcoming 진행중 [일수] — 오늘 이전에 시작해 아직 진행 중인 기간 일정",
            "날짜가 '10월 중'처럼 적힌 일정은 그 정밀도 그대로 보여 드립니다.",
        ],
        "examples": ["/upcoming", "/upcoming 90", "/upcoming 국제교류담당관"],
    },
    "help": {"usage": ["/help — 명령 목록", "/help 명령 — 그 명령의 사용법"], "examples": ["/help budget"]},
    "reportbot": {
        "usage": [
            "/reportbot 명령 인자 — 그 명령과 같습니다 (/reportbot budget 뉴미디어 = /budget 뉴미디어)",
            "/reportbot 문장 — 말로 물어도 됩니다 (/reportbot 뉴미디어담당관 예산)",
            "/reportbot — 이 도움말",
        ],
        "examples": ["/reportbot budget 뉴미디어담당관", "/reportbot 명예시민 사업"],
    },
}
MENTION_UNCLEAR_TITLE = "무엇을 찾으시는지 모르겠습니다"
MENTION_UNCLEAR = "'예산', '사업', '감사', '일정' 중 하나를 함께 써 주세요. 예: 뉴미디어담당관 예산, 명예시민 사업, 다가오는 일정 · 전체 명령은 /help"


# -- free-text questions, comparison, /when, charts -------------------------------------
Q_UNDERSTOOD_AS = "'{typed}'을(를) '{name}'(으)로 이해했습니다."
Q_UNUSED = "이해하지 못해 빼고 답한 말: {words} — 다르게 물으시려면 /help"
Q_TWO_READINGS_TITLE = "'{name}'에 대해 무엇을 찾으시나요?"
Q_TWO_READINGS = "두 가지 이상으로 읽힙니다. 아래에서 골라 주세요(추측해서 답하지 않습니다)."
Q_READ_BUDGET = "{name} 예산"
Q_READ_PROGRAM = "{name} 사업"
Q_READ_UPCOMING = "{name} 일정"
Q_READ_WHEN = "{name} 언제"
COMPARE_TITLE_PLAIN = "{name} 예산 비교 ({years})"
COMPARE_INTRO = "회계연도별 예산(예산현액, 없으면 예산액)을 나란히 놓았습니다. 증감·증감률은 {first} → {last}."
COMPARE_ONE_YEAR = "{name}의 예산은 {years} 한 해만 있어 비교할 수 없습니다."
COMPARE_NO_YEARS = "요청한 연도({asked}) 중 자료가 있는 해: {have}. 없는 해: {missing}."
COMPARE_FUZZY = "≈ 이름이 조금 다른 행을 같은 사업으로 맞췄습니다: {pairs}"
COMPARE_ORPHANS = "다른 해에 짝이 없는 행: {rows}"
COMPARE_RENAMED = "{year}년에는 '{name}'이(가) 없고 비슷한 이름 '{similar}'이(가) 있습니다. 이름이 바뀌었을 수 있어 합치지 않았습니다."
COMPARE_COL_NAME = "사업"
COMPARE_COL_CHANGE = "증감"
COMPARE_COL_RATE = "증감률"
COMPARE_TOTAL_ROW = "부서 합계"
COMPARE_SOURCES = "출처: {sources}"
COMPARE_SOURCE = "{year}: {table} {column} {line}행"
COMPARE_YEAR_FIGURE = "{year} {money}"
COMPARE_CHANGE = "증감 {change} ({rate})"
COMPARE_CHART_TITLE = "{name} 예산 추이"
COMPARE_UNIT = "백만원"
COMPARE_USAGE = "/budget 이름 비교 [연도 …] — 예: /budget 뉴미디어담당관 비교 2018 2021"
FISCAL_TITLE = "{name} {year}년 예산 (보고서: {report})"
FISCAL_NOTE = "{year}년 예산은 {report}의 '{table}' 표에 실려 있습니다(회계연도 {year} 기준)."
RANK_TITLE_LOW = "집행률 낮은 사업{scope}"
RANK_TITLE_HIGH = "집행률 높은 사업{scope}"
RANK_TITLE_LARGEST = "예산이 큰 사업{scope}"
RANK_SCOPE = " · {name}"
RANK_NOTE = "각 실·국의 최신 집행 표 기준, 기금 운용(예치·전출 등) 행은 뺐습니다."
RANK_COL_DEPT = "부서"
RANK_COL_BUDGET = "예산"
RANK_COL_RATE = "집행률"
RANK_CHART_TITLE = "집행률 (%)"
WHEN_USAGE_TITLE = "/when 사용법"
WHEN_USAGE = "/when 사업이나 행사 이름 — 그 날짜들을 최신 보고서부터 보여 드립니다. 예: /when 서울세계도시문화축제"
WHEN_TITLE = "{name} 언제?"
WHEN_LINE = "{when} · {title}{dept}"
WHEN_SUPERSEDED = "{when} · {title} (이전 날짜: 새 보고서에서 {new}(으)로 바뀜)"
WHEN_NONE = "'{name}'의 날짜가 보고서에 없습니다."
WHEN_SUMMARY = "날짜 {count}건 · 보고서 {reports}곳 (최신 보고서부터)"
WHEN_FOOTNOTE = "오늘: {today} · 한 보고서에 여러 번 적힌 같은 일정은 한 번만 셉니다."
CHART_SAVED = "[차트] {path}"
BUDGET_CHART_TITLE = "{name} 사업별 집행률 ({year})"
UPCOMING_SPAN_WINDOW = "{start} ~ {end}"
UPCOMING_BAD_WINDOW = "기간은 2021-09-13~2021-09-19처럼 시작일~종료일로 써 주세요."
BUDGET_COL_RATE_SERIES = "집행률"
AUDIT_STATUS_SUFFIX_OPEN = " · 완료되지 않은 것"
AUDIT_STATUS_SUFFIX_DONE = " · 완료된 것"
