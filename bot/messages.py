"""Every sentence a user reads, in one place, in Korean, in one tone (존댓말, short).

Sections follow the commands. Placeholders use str.format names."""

from __future__ import annotations

# -- general ------------------------------------------------------------------------
INTERNAL_ERROR_TITLE = "처리 중 문제가 생겼습니다"
INTERNAL_ERROR = "요청을 처리하지 못했습니다. 잠시 뒤 다시 시도해 주시고, 계속되면 관리자에게 알려 주세요."
EMPTY_TITLE = "명령을 입력해 주세요"
EMPTY = "예: /budget 뉴미디어담당관 · 도움말은 /help"
TOO_LONG_TITLE = "입력이 너무 깁니다"
TOO_LONG = "명령은 {limit}자 이내로 입력해 주세요."
UNKNOWN_COMMAND_TITLE = "알 수 없는 명령입니다"
UNKNOWN_COMMAND = "'/{name}' 명령은 없습니다. /help 로 사용할 수 있는 명령을 확인해 주세요."
ADMIN_ONLY_TITLE = "관리자 전용 명령입니다"
ADMIN_ONLY = "이 명령은 설정에 등록된 관리자만 사용할 수 있습니다."

# -- ingest and the store (CLI) ------------------------------------------------------
INGEST_ERROR = "오류: {file}: {reason}"
INGEST_PARSER_FAILED = "읽는 중 오류가 났습니다({error}). 다른 보고서는 그대로 넣었습니다"
INGEST_ADDED = "추가: {file} → {title} ({org}, {date})"
INGEST_REPLACED = "다시 반영: {file} → {title} ({org}, {date}) — 이전 기록을 교체했습니다"
INGEST_UNCHANGED = "변경 없음: {file} (이미 같은 내용이 저장되어 있습니다)"
STORE_BUILT = "저장소를 새로 만들었습니다: 보고서 {count}건 ({path})"
STORE_NO_REPORTS = "보고서 폴더({path})에 읽을 보고서가 없습니다."
PARSE_SUMMARY = (
    "{title} ({org}, {date}): 부서 {depts}, 예산표 {tables}개 {budget}행, 예산 문장 {prose}건, 주요업무 {programs}, "
    "감사 {audit}건, 일정 {milestones}건"
)
PARSE_WARNINGS = "  읽었지만 이해하지 못한 것 {count}건:"
PARSE_WARNING_LINE = "  - {text}"
PARSE_NO_WARNINGS = "  경고 없음"
INGEST_SHRINK = (
    "거부: {file} → {title} ({org}, {date}) — 저장된 같은 보고서보다 크게 줄어듭니다({lost}). "
    "잘린 파일이 아닌지 확인하고, 그래도 바꾸려면 --force 를 붙이세요. 저장소는 그대로입니다."
)
BAD_COVER_DATE = "날짜 형식이 올바르지 않습니다: '{value}'. 예: --date 2023-03-15"
BAD_AS_OF = "날짜 형식이 올바르지 않습니다: '{value}'. 예: --as-of 2021-09-06"
UNKNOWN_PLATFORM = "알 수 없는 플랫폼입니다: '{value}'. console, slack, telegram 중에서 고르세요(쉼표로 여러 개)."

# -- telegram -----------------------------------------------------------------------
TELEGRAM_NOT_ALLOWED = "이 봇은 등록된 대화방에서만 답합니다. 사용하려면 관리자에게 이 대화방 ID를 알려 주세요: {chat_id}"
TELEGRAM_BUTTON_EXPIRED = "버튼이 만료되었습니다. 명령을 다시 입력해 주세요."
TELEGRAM_PAGE = "({page}/{pages}쪽)"
TELEGRAM_NO_TOKEN = "TELEGRAM_BOT_TOKEN 환경 변수가 없어 텔레그램 봇을 시작하지 않습니다."
TELEGRAM_BAD_TOKEN = "텔레그램이 봇 토큰을 거부했습니다. TELEGRAM_BOT_TOKEN 을 확인해 주세요."
TELEGRAM_UNREACHABLE = "텔레그램 API({url})에 연결하지 못했습니다. {delay:.0f}초 뒤 다시 시도합니다."
TELEGRAM_NO_ALLOWED_CHATS = "텔레그램 허용 대화방이 비어 있어 모든 대화방에 접근 안내만 보냅니다. telegram.allowed_chats 또는 TELEGRAM_ALLOWED_CHATS 를 설정하세요."
TELEGRAM_STARTED = "텔레그램 봇 @{username} 시작: {mode}, 허용 대화방 {chats}곳"
TELEGRAM_MODE_POLLING = "롱 폴링"
TELEGRAM_MODE_WEBHOOK = "웹훅 {url}"
TELEGRAM_MENU_FAILED = "텔레그램 명령 메뉴(setMyCommands)를 등록하지 못했습니다."
TELEGRAM_SEND_NOT_ALLOWED = "허용 목록에 없는 텔레그램 대화방({chat_id})에는 보내지 않습니다."

# -- Slack ----------------------------------------------------------------------------
SLACK_SHARE_BUTTON = "채널에 공유"
SLACK_SHARED_BY = "{user} 님이 공유했습니다"
SLACK_SHARE_FAILED = "채널에 공유하지 못했습니다. 봇을 채널에 초대한 뒤 다시 시도해 주세요."
SLACK_PAGE = "{page}/{pages}쪽"
SLACK_CONTINUED = "{title} (이어서 {part}/{parts})"
SLACK_NO_BOT_TOKEN = "Slack을 시작할 수 없습니다: 환경 변수 SLACK_BOT_TOKEN이 없습니다."
SLACK_NO_SIGNING_SECRET = "Slack HTTP 모드에는 환경 변수 SLACK_SIGNING_SECRET이 필요합니다."
SLACK_NO_MODE = "Slack 연결 방식을 정할 수 없습니다: 소켓 모드에는 SLACK_APP_TOKEN, HTTP 모드(--http)에는 SLACK_SIGNING_SECRET이 필요합니다."
SLACK_HTTP_LISTENING = "Slack HTTP 모드: http://{host}:{port}/slack/events 에서 요청을 받습니다."
SLACK_SOCKET_CONNECTED = "Slack 소켓 모드로 연결했습니다."
SLACK_FALLBACK_HTTP = "SLACK_APP_TOKEN이 없어 HTTP 모드로 시작합니다(포트 {port})."
SLACK_BAD_TOKEN = "Slack이 봇 토큰을 거부했습니다. SLACK_BOT_TOKEN(xoxb-…)을 확인해 주세요."
SLACK_BAD_APP_TOKEN = "Slack 소켓 모드에 연결하지 못했습니다({reason}). SLACK_APP_TOKEN(xapp-…, connections:write 권한)을 확인해 주세요."
SLACK_CHECK_FAILED = "Slack 연결을 확인하지 못했습니다({reason}). 요청이 오면 다시 시도합니다."
SLACK_CONNECTED_AS = "Slack 연결 확인: 봇 {user}, 워크스페이스 {team}"
SLACK_PORT_BUSY = "Slack HTTP 모드를 {host}:{port}에서 시작하지 못했습니다: {reason}"

# -- reminders, subscriptions, /milestone, /digest ------------------------------------
WHEN_PRINTED = "{when} (보고서 표기: {printed})"
SOURCE_MANUAL = "직접 추가한 일정 #{id}"
SOURCE_MANUAL_BY = "직접 추가한 일정 #{id} ({by})"
SOURCE_UNKNOWN = "출처 미상"
END_TODAY = "오늘 종료"
END_N = "종료 D-{n}"
END_PAST = "종료 후 {n}일"
END_PERIOD = "이번 {unit} 안에 종료 예정"
PERIOD_UNITS = {"month": "달", "quarter": "분기", "half": "반기", "year": "해"}

REMINDER_TITLE_ONE = "일정 알림 · {dday} · {title}"
REMINDER_TITLE_MANY = "일정 알림 {count}건 · {date}"
REMINDER_LATE = "늦은 알림: {due}에 보낼 예정이었는데 봇이 멈춰 있어 지금 보냅니다."
REMINDER_WHEN = "일시"
REMINDER_DEPT = "부서"
REMINDER_PROGRAM = "사업"
REMINDER_SOURCE = "출처"
REMINDER_FOOTNOTE = "이 채널의 구독: /subscriptions · 해지: /unsubscribe 대상"

TARGET_ALL = "모든 일정"
NO_CHANNEL = "이 대화가 어느 채널인지 알 수 없어 구독을 처리하지 못했습니다."
SUBSCRIBE_USAGE_TITLE = "구독 명령 사용법"
SUBSCRIBE_USAGE = [
    "/subscribe 국제교류담당관 — 그 부서의 일정 알림을 이 채널에서 받기",
    "/subscribe 사업이름(일부) — 사업 하나의 일정만",
    "/subscribe all — 모든 일정",
    "/unsubscribe 대상 — 해지 · /subscriptions — 이 채널의 구독 목록",
]
SUBSCRIBED_TITLE = "일정 알림을 구독했습니다"
SUBSCRIBED_ALREADY_TITLE = "이미 구독하고 있습니다"
SUBSCRIBED = "{target}: {offsets} {time}(서울)에 이 채널로 알려 드립니다."
SUBSCRIBED_RULES = "주말·공휴일이면 앞 근무일에 보냅니다. 월 단위 일정은 그달 첫 근무일과 그 {lead}일 전, 반기·분기 일정은 시작할 때 한 번, 기간 일정은 마지막 날에도 알려 드립니다."
SUBSCRIBED_UPCOMING = "앞으로 {days}일 안의 일정: {count}건"
OFFSET_DAY = "당일"
OFFSET_N = "{n}일 전"
UNSUBSCRIBE_USAGE_TITLE = "해지할 대상을 입력해 주세요"
UNSUBSCRIBE_USAGE = "예: /unsubscribe 국제교류담당관, /unsubscribe all · 이 채널의 구독은 /subscriptions"
UNSUBSCRIBED_TITLE = "구독을 해지했습니다"
UNSUBSCRIBED = "{target} 알림을 더 이상 이 채널로 보내지 않습니다."
UNSUBSCRIBE_NOT_FOUND_TITLE = "해지할 구독이 없습니다"
UNSUBSCRIBE_NOT_FOUND = "이 채널에는 '{query}' 구독이 없습니다. /subscriptions 로 확인해 주세요."
SUBSCRIPTIONS_TITLE = "이 채널의 구독"
SUBSCRIPTIONS_EMPTY = "이 채널에는 구독이 없습니다. 예: /subscribe 국제교류담당관, /digest subscribe"
SUBSCRIPTION_REMINDER_ROW = "일정 알림: {target} (구독 {since})"
SUBSCRIPTION_DIGEST_ROW = "주간 요약: 매주 {weekday}요일 {time} (구독 {since})"

MILESTONE_USAGE_TITLE = "일정 명령 사용법"
MILESTONE_USAGE = [
    "/milestone list [부서] — 다가오는 일정과 직접 추가한 일정",
    "/milestone add 2026-12-03 명예시민증 수여식 [부서] — 일정 추가(관리자)",
    "  날짜는 2026-12-03, 2026.12.3, 2026-12(월 단위), 2026-12-01~2026-12-05(기간)",
    "/milestone remove N — 직접 추가한 일정 N번 삭제(관리자)",
]
MILESTONE_BAD_DATE_TITLE = "날짜를 읽지 못했습니다"
MILESTONE_BAD_DATE = "'{value}'은(는) 날짜로 읽을 수 없습니다. 예: 2026-12-03, 2026-12(월 단위), 2026-12-01~2026-12-05"
MILESTONE_BAD_RANGE = "기간의 끝({end})이 시작({start})보다 앞섭니다."
MILESTONE_NO_TITLE_TITLE = "일정 이름이 없습니다"
MILESTONE_NO_TITLE = "날짜 뒤에 일정 이름을 입력해 주세요. 예: /milestone add 2026-12-03 명예시민증 수여식"
MILESTONE_ADDED_TITLE = "일정을 추가했습니다 (#{id})"
MILESTONE_ADDED_NOTE = "구독한 채널에는 정책대로 알림이 나갑니다. 지우려면 /milestone remove {id}"
MILESTONE_REMOVED_TITLE = "일정 #{id}을(를) 삭제했습니다"
MILESTONE_REMOVED_NOTE = "이 일정의 예약된 알림도 취소했습니다."
MILESTONE_NOT_FOUND_TITLE = "그런 일정이 없습니다"
MILESTONE_NOT_FOUND = "직접 추가한 일정 중 #{id}번이 없습니다. /milestone list 로 번호를 확인해 주세요. 보고서에서 읽은 일정은 지울 수 없습니다."
MILESTONE_BAD_NUMBER_TITLE = "일정 번호가 필요합니다"
MILESTONE_BAD_NUMBER = "삭제할 일정 번호를 숫자로 입력해 주세요. 예: /milestone remove 3"
MILESTONE_LIST_TITLE = "일정 ({scope})"
MILESTONE_LIST_SCOPE_ALL = "{start} 이후 전체"
MILESTONE_LIST_SCOPE_DEPT = "{dept} · {start} 이후"
MILESTONE_LIST_EMPTY = "{start} 이후 일정이 없습니다."
MILESTONE_LIST_MANUAL = "직접 추가한 그 밖의 일정(지난 것 포함)"
MILESTONE_ROW = "{when} · {title}{dept}"
MILESTONE_ROW_MANUAL = "#{id} {when} · {title}{dept}"
MILESTONE_DEPT_SUFFIX = " ({dept})"

DIGEST_TITLE = "주간 요약 · {as_of}"
DIGEST_SUMMARY = "다가오는 일정 {milestones}건 · 미완료 감사 후속조치 {audit}건 · 바뀐 점 {changes}건"
DIGEST_MILESTONES = "다가오는 일정 ({start} ~ {end})"
DIGEST_MILESTONE_ROW = "{when} · {title}{dept}"
DIGEST_MILESTONE_ENDING = "{when} · {title}{dept} — {end}에 끝남"
DIGEST_NO_MILESTONES = "이 기간에 시작하는 일정이 없습니다."
DIGEST_AUDIT = "미완료 감사 후속조치"
DIGEST_AUDIT_DEPT = "{dept}: {count}건"
DIGEST_AUDIT_ITEM = "  · [{status}] {head} — {report} 기준, {days}일째"
DIGEST_AUDIT_NO_DEPT = "부서 미상"
DIGEST_NO_AUDIT = "미완료 후속조치가 없습니다."
DIGEST_LAGGING = "집행률이 낮은 사업"
DIGEST_LAGGING_ROW = "{name} ({dept}): 집행률 {rate}"
DIGEST_LAGGING_SOURCE = "  (기준일 {as_of}, {report})"
DIGEST_NO_LAGGING = "집행률 자료가 없습니다."
DIGEST_CHANGES = "지난 요약 이후 바뀐 점 ({since} 이후)"
DIGEST_NO_CHANGES = "바뀐 점이 없습니다."
DIGEST_FOOTNOTE = "매주 받기: /digest subscribe · 그만 받기: /digest unsubscribe"
DIGEST_USAGE_TITLE = "주간 요약 명령 사용법"
DIGEST_USAGE = [
    "/digest — 지금 주간 요약 보기",
    "/digest subscribe — 이 채널에서 매주 받기",
    "/digest unsubscribe — 그만 받기",
]
DIGEST_SUBSCRIBED_TITLE = "주간 요약을 구독했습니다"
DIGEST_SUBSCRIBED = "매주 {weekday}요일 {time}(서울)에 이 채널로 주간 요약을 보냅니다."
DIGEST_ALREADY_TITLE = "이미 주간 요약을 받고 있습니다"
DIGEST_UNSUBSCRIBED_TITLE = "주간 요약 구독을 해지했습니다"
DIGEST_UNSUBSCRIBED = "이 채널로 더 이상 주간 요약을 보내지 않습니다."
DIGEST_NOT_SUBSCRIBED_TITLE = "주간 요약을 구독하고 있지 않습니다"
DIGEST_NOT_SUBSCRIBED = "이 채널은 주간 요약을 구독하고 있지 않습니다. 구독: /digest subscribe"

PLAN_HEADER = "{start} ~ {end}: 보낼 알림 {count}건"
PLAN_HEADER_ALL = "{start} ~ {end}: 알림 날짜 {count}건 (구독과 관계없이)"
PLAN_NO_SUBS = "구독이 없어 보낼 알림이 없습니다. 구독과 관계없이 알림 날짜를 보려면 --all 을 붙이세요."
PLAN_EMPTY = "이 기간에 보낼 알림이 없습니다."
PLAN_ROW = "{when}  {where}  {what}"
PLAN_DIGEST = "주간 요약 {week}"
PLAN_NOBODY = "(구독 없음)"
PLAN_ALREADY_SENT = " [보냄 {at}]"
PLAN_SKIPPED = " [놓침: 보내지 않음]"
BAD_DATE = "날짜 형식이 올바르지 않습니다: '{value}'. 예: 2021-10-01"
BAD_DATE_RANGE = "--to({end})가 --from({start})보다 앞섭니다."


# -- lookups: shared (/budget, /program, /audit, /upcoming) -------------------------
UNKNOWN_DEPT = "부서 미상"
PAGE_PREV = "이전 쪽"
PAGE_NEXT = "다음 쪽"
CANDIDATES_TITLE = "'{query}'와(과) 비슷한 이름이 여럿입니다"
CANDIDATES_INTRO = "어느 것을 찾으시나요? 아래에서 골라 주세요(추측해서 답하지 않습니다)."
CANDIDATES_MORE = "이 밖에 {count}개가 더 있습니다. 이름을 조금 더 길게 입력해 주세요."
CANDIDATE_LABEL = "{years} · {name}"  # the year first: Telegram cuts long button labels
CANDIDATE_YEAR_SETTLEMENT = "{year} 결산"
CANDIDATES_ALL_YEARS = "모두 {years} 보고서에 있는 이름입니다."
CANDIDATES_SAME_PROGRAM = "'{query}'은(는) 여러 해 보고서에 실린 같은 사업입니다. 가장 최근 것({year}, '{name}')으로 답합니다."
CANDIDATES_SAME_PROGRAM_YEAR = "'{query}'은(는) 여러 해 보고서에 실린 같은 사업입니다. {year} 보고서의 '{name}'(으)로 답합니다."
CANDIDATES_OTHER_YEAR = "{year} 것 보기"
NOT_FOUND_TITLE = "찾을 수 없습니다"
NOT_FOUND = "'{query}'을(를) 찾을 수 없습니다."
NOT_FOUND_CLOSEST = "가장 가까운 이름: {names}"
NOT_FOUND_HELP = "이름을 확인하시거나 /help {command} 로 사용법을 보세요."
SOURCE_AS_OF = "기준 {date}"
SOURCE_SETTLEMENT_AS_OF = "{year} 회계연도 결산 기준"
SOURCE_FROM = "출처: {where}"
SOURCE_UPLOADED = "{by} 님이 채팅으로 올림({at})"
SOURCE_LINE = "{where} {line}행"
SOURCE_FISCAL_YEAR = "{year} 회계연도 결산"
RENDER_CANDIDATES = "후보:"
RENDER_PAGE = "({page}/{pages}쪽)"

# -- which report: the year asked has none, the other years (every command) ---------------
NO_YEAR_TITLE = "{year}년 자료가 없습니다"
OTHER_YEAR = "{year} 보기"
OTHER_YEARS = "다른 연도·보고서: {years}"

# -- /budget --------------------------------------------------------------------------
BUDGET_COMMAND_SUMMARY = "부서·사업의 예산현액, 집행액, 집행률"
BUDGET_DEPT_TITLE = "{name} 예산 ({year})"
BUDGET_ROW_TITLE = "{name} 예산 ({year})"
BUDGET_PROGRAM_TITLE = "{name} 예산 ({year} 주요업무)"
BUDGET_OFFICE_TITLE = "{org} 예산 총괄 ({year})"
BUDGET_TABLE_LINE = "표: {table}"
BUDGET_ALSO_TABLE = "{table}: {figures}"
BUDGET_OTHER_TABLES = "이 보고서의 다른 예산 표: {tables}"
BUDGET_DEPT_ACTION = "{dept} 예산"
BUDGET_ORG_ACTION = "{org} 예산"
BUDGET_PROGRAM_ACTION = "사업 내용 보기"
BUDGET_PROGRAM_NOTE = "예산 표에 같은 이름의 행이 없어 주요업무의 예산 문장을 그대로 옮깁니다."
BUDGET_ROW_SEVERAL = "같은 이름의 행이 {count}개 있습니다(부서·표별)."
BUDGET_COL_NAME = "사업"
BUDGET_COL_NAME_BY_RATE = "사업(집행률 낮은 순)"
BUDGET_NO_YEAR_SIMILAR = "그 해 보고서의 비슷한 이름: {names} (이름이 다르면 다른 부서로 봅니다)"
BUDGET_COL_DEPT = "부서"
BUDGET_COL_TABLE = "표"
BUDGET_FIELD_DEPT = "부서"
BUDGET_FIELD_PROGRAM_BUDGET = "예산"
BUDGET_OFFICE_WIDE = "실·국 전체"
BUDGET_NO_SENTENCE = "보고서에 예산 문장이 없습니다"
BUDGET_NO_YEAR = "{name}의 {year}년 예산 자료가 없습니다. 있는 연도: {years}"
BUDGET_NO_DATA_TITLE = "{name} 예산 자료가 없습니다"
BUDGET_NO_DATA = "이 부서는 보고서의 예산 표에 나오지 않습니다. /program 또는 /audit 로 찾아보세요."
BUDGET_NONE_TITLE = "예산 자료가 없습니다"
BUDGET_NONE = "저장된 보고서에 예산 표가 없습니다. 관리자에게 보고서 등록(reportbot ingest)을 요청해 주세요."

# -- /program -------------------------------------------------------------------------
PROGRAM_COMMAND_SUMMARY = "주요업무 사업의 개요, 예산, 추진실적, 향후계획"
PROGRAM_USAGE_TITLE = "사업 이름을 입력해 주세요"
PROGRAM_USAGE = "예: /program 명예시민, /program 세계도시문화축제 · 부서 이름을 넣으면 그 부서의 사업 목록을 보여 드립니다."
PROGRAM_TITLE = "{title} ({year})"
PROGRAM_FIELD_DEPT = "담당 부서"
PROGRAM_FIELD_GROUP = "분야"
PROGRAM_FIELD_BUDGET = "예산"
PROGRAM_NO_BUDGET = "보고서에 예산 문장이 없습니다"
PROGRAM_OVERVIEW = "사업개요"
PROGRAM_ACHIEVEMENTS = "추진실적"
PROGRAM_PLANS = "향후계획"
PROGRAM_DATES = "일정"
PROGRAM_MORE_LINES = "… 외 {count}건"
PROGRAM_OTHER_YEARS = "다른 연도 보고서에도 있습니다: {years}"
PROGRAM_DEPT_BUDGET = "{dept} 예산"
PROGRAM_DEPT_UPCOMING = "{dept} 일정"
PROGRAM_DEPT_TITLE = "{dept} 주요업무 ({year})"
PROGRAM_DEPT_HINT = "사업 이름으로 자세히 보기: /program 사업이름"
PROGRAM_COL_TITLE = "사업"
PROGRAM_NONE_FOR_DEPT_TITLE = "주요업무가 없습니다"
PROGRAM_NONE_FOR_DEPT = "{dept}의 주요업무를 보고서에서 찾지 못했습니다."
PROGRAM_NO_YEAR = "'{name}'은(는) {year}년 보고서에 없습니다. 있는 연도: {years}"

# -- /audit ---------------------------------------------------------------------------
AUDIT_COMMAND_SUMMARY = "행정사무감사·결산검사 후속조치 현황"
AUDIT_OVERVIEW_TITLE = "감사 후속조치 현황 — {report}"
AUDIT_COUNTS = "총 {total}건 ({parts})"
AUDIT_FROM_SUMMARY = "보고서 총괄표: {counts}"
AUDIT_FROM_ITEMS = "본문 항목 집계: {counts}"
AUDIT_MISMATCH = "총괄표와 본문 항목 집계가 다릅니다. 아래 표는 본문에 실린 항목(과 기록된 상태 변경)을 센 것입니다."
AUDIT_BY_KIND = "구분별"
AUDIT_COL_DEPT = "부서"
AUDIT_COL_TOTAL = "계"
AUDIT_COL_KIND = "구분"
AUDIT_COL_STATUS = "상태"
AUDIT_COL_REQUEST = "요구사항"
AUDIT_FIELD_DUE = "후속 일정"
AUDIT_REQUEST = "요구사항"
AUDIT_ACTION = "조치결과"
AUDIT_PLAN = "향후 추진계획"
AUDIT_OPEN_TITLE = "완료되지 않은 후속조치 ({year})"
AUDIT_DONE_LIST_TITLE = "완료된 후속조치 ({year})"
AUDIT_DEPT_TITLE = "{dept} 감사 후속조치 ({year})"
AUDIT_ITEM_TITLE = "후속조치 {number}번 · {status} ({year})"
AUDIT_NOTHING_OPEN = "완료되지 않은 후속조치가 없습니다."
AUDIT_NOTHING_DONE = "완료된 후속조치가 없습니다."
AUDIT_NOTHING_FOR_DEPT = "{dept}의 후속조치 항목이 없습니다."
AUDIT_OPEN_ACTION = "미완료 항목"
AUDIT_OVERVIEW_ACTION = "전체 현황"
AUDIT_DEPT_ACTION = "{dept} 항목"
AUDIT_ITEM_ACTION = "{number}번 자세히"
AUDIT_NONE_TITLE = "감사 후속조치 자료가 없습니다"
AUDIT_NONE = "저장된 보고서에 행정사무감사·결산검사 처리결과가 없습니다."
AUDIT_NO_YEAR = "{year}년 보고서에는 감사 후속조치가 없습니다. 있는 연도: {years}"
AUDIT_NO_ITEM_TITLE = "{number}번 항목이 없습니다"
AUDIT_NO_ITEM = "{report}의 후속조치는 {span}번입니다. 번호를 확인해 주세요."
AUDIT_SAME_NUMBER_TITLE = "{number}번 후속조치가 여럿입니다"
AUDIT_SAME_NUMBER = "이 보고서는 종류마다 번호를 새로 매깁니다({kinds}). 종류를 골라 주세요(예: 건의{number})."
AUDIT_DONE_USAGE_TITLE = "완료로 기록할 번호를 입력해 주세요"
AUDIT_DONE_USAGE = "예: /audit done 7 '21.10. 조례 개정 완료 · 다른 연도 보고서의 항목은 /audit done 2018:2"
AUDIT_DONE_TITLE = "후속조치 {number}번을 완료로 기록했습니다"
AUDIT_DONE = "{number}번: {before} → {after} ({report})"
AUDIT_DONE_NOTE = "메모: {note}"

# -- /upcoming ------------------------------------------------------------------------
UPCOMING_COMMAND_SUMMARY = "오늘(또는 기준일)부터 다가오는 일정, D-day 포함"
UPCOMING_TITLE = "다가오는 일정 · {span}"
UPCOMING_TITLE_FOR = "{subject} 다가오는 일정 · {span}"
UPCOMING_SPAN_DAYS = "{start}부터 {days}일({end}까지)"
UPCOMING_SPAN_OPEN = "{start} 이후"
UPCOMING_COUNT = "앞으로 {ahead}건(가까운 순서), 이미 진행 중 {ongoing}건"
UPCOMING_WINDOW_COUNT = "{count}건"
UPCOMING_NONE_AHEAD = "이 기간에 새로 시작하는 일정은 없습니다."
UPCOMING_ONGOING_HEADING = "이미 진행 중 {count}건"
UPCOMING_ONGOING_LINE = "{when} · {title} ({dept})"
UPCOMING_ONGOING_MORE = "… 외 {count}건: {command}"
UPCOMING_ONGOING_ACTION = "진행 중인 일정 전체"
UPCOMING_ONGOING_TITLE = "{title} — 진행 중"
UPCOMING_PRECISION_NOTE = "'10월 중'처럼 보고서에 날짜가 없는 일정은 달·반기 단위로만 표시합니다."
UPCOMING_COL_WHEN = "언제"
UPCOMING_COL_DDAY = "D-day"
UPCOMING_COL_TITLE = "일정"
UPCOMING_COL_DEPT = "부서"
UPCOMING_NONE = "이 기간에 예정된 일정이 없습니다."
UPCOMING_WIDER = "1년으로 넓혀 보기"
UPCOMING_DEPT_ACTION = "{dept} 일정"
UPCOMING_TODAY = "오늘: {today}"
UPCOMING_FOOTNOTE = "오늘: {today} · 출처: {sources}"
UPCOMING_MORE_SOURCES = "외 {count}건"
UPCOMING_MANUAL_SOURCE = "직접 추가한 일정"
UPCOMING_BAD_DAYS_TITLE = "기간이 올바르지 않습니다"
UPCOMING_BAD_DAYS = "일수는 1부터 {max}까지 입력해 주세요. 예: /upcoming 30"

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

# -- console --------------------------------------------------------------------------
CONSOLE_WELCOME = "reportbot 콘솔입니다. 명령을 입력하세요(예: /budget 뉴미디어담당관). 도움말 /help · 끝내기 /quit 또는 Ctrl-D"
CONSOLE_TODAY = "오늘 날짜: {today}{pinned}"
CONSOLE_PINNED = " (고정된 기준일)"
CONSOLE_BYE = "종료합니다."
CONSOLE_DELIVERY = "[알림 → {channel}]"
PLATFORM_STOPPED = "{platform} 연결을 시작하지 못해 봇을 멈춥니다. 위의 안내(토큰·설정)를 확인해 주세요."

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

# Reports sent to the bot in chat (bot/upload.py)
UPLOAD_NOT_ADMIN = "보고서 파일은 설정에 등록된 관리자만 넣을 수 있습니다. 저장하지 않았습니다."
UPLOAD_TOO_LARGE = "파일이 너무 큽니다({size}). 보고서 파일은 {limit}까지 받습니다(설정 [upload] max_upload_mb). 저장하지 않았습니다."
UPLOAD_WRONG_TYPE = "{name}: 보고서로 읽을 수 없는 종류의 파일입니다. HWP·HWPX·PDF나 텍스트(.txt·.md) 파일을 보내 주세요. 저장하지 않았습니다."
UPLOAD_UNREADABLE = "{name}: 읽을 수 없습니다 — {reason}. 저장하지 않았습니다."
UPLOAD_DOWNLOAD_FAILED = "{name}: 파일을 내려받지 못했습니다. 잠시 뒤 다시 보내 주세요. 저장하지 않았습니다."
UPLOAD_PREVIEW_TITLE = "보고서 미리보기: {name}"
UPLOAD_PREVIEW_NEW = "저장된 같은 보고서가 없습니다: 새 보고서로 추가됩니다."
UPLOAD_PREVIEW_SAME = "이미 같은 내용이 저장되어 있습니다(저장해도 바뀌는 것이 없습니다)."
UPLOAD_PREVIEW_AGAINST = "저장된 판({date} 저장)과 비교:"
UPLOAD_DIFF_BUDGET = "예산 행: 바뀜 {changed}, 추가 {added}, 빠짐 {removed}"
UPLOAD_DIFF_AUDIT = "감사 처리상황 바뀜 {count}건"
UPLOAD_DIFF_MILESTONES = "일정: 추가 {added}, 빠짐 {removed}"
UPLOAD_DIFF_ITEM = "  - {text}"
UPLOAD_PREVIEW_FOOT = "저장하려면 [저장], 그만두려면 [취소]를 누르세요. 이 미리보기는 {minutes}분 뒤({until}) 만료됩니다."
UPLOAD_SAVE = "저장"
UPLOAD_CANCEL = "취소"
UPLOAD_SAVED = "저장했습니다: {title} ({org}, {date}) — {status}. 보낸 사람 {user}, {when}."
UPLOAD_STATUS = {"added": "새 보고서", "replaced": "이전 판을 교체", "unchanged": "변경 없음"}
UPLOAD_CANCELLED = "취소했습니다: {name}. 저장하지 않았습니다."
UPLOAD_EXPIRED = "미리보기가 만료되었거나 이미 처리되었습니다. 파일을 다시 보내 주세요. 저장하지 않았습니다."
UPLOAD_NOT_YOURS = "이 미리보기는 파일을 보낸 관리자만 저장하거나 취소할 수 있습니다."
UPLOAD_CHANGED = "미리보기 뒤에 보관 파일이 바뀌었습니다(해시 불일치). 저장하지 않았습니다. 파일을 다시 보내 주세요."
UPLOAD_SHRINK = "저장하지 않았습니다: 저장된 판보다 기록이 크게 줄어듭니다({lost}). 잘린 사본이 아닌지 확인하고, 맞다면 CLI에서 reportbot ingest --force로 넣어 주세요."
UPLOAD_COMMAND_SUMMARY = "올린 보고서 미리보기 저장·취소 (저장/취소 버튼)"
UPLOAD_USAGE = "사용법: 보고서 파일(HWP·HWPX·PDF·텍스트)을 봇에게 보내면 미리보기와 [저장]/[취소] 버튼이 옵니다."
REPORTS_COMMAND_SUMMARY = "저장된 보고서 목록(파일, 올린 사람·때)"
REPORTS_TITLE = "저장된 보고서 {count}건"
REPORTS_COLUMNS = ("보고서", "파일", "넣은 경로")
REPORTS_UPLOADED = "{by} 올림({at})"
REPORTS_FROM_FILE = "파일에서(CLI·기본 자료)"
REPORTS_NONE = "저장된 보고서가 없습니다."
UPLOAD_PREVIEW_READ = "읽은 내용"
UPLOAD_PREVIEW_CHANGES = "저장하면 바뀌는 것"


# --- the store itself: corruption, backups, restore, claims ----------------------------

CORRUPT_REASONS = {
    "empty": "비어 있음",
    "not_json": "JSON이 아님",
    "not_tables": "저장소 형식이 아님",
    "no_tables": "저장소 표가 하나도 없음",
    "missing": "파일이 없어짐",
}
STORE_RESTORED = (
    "⚠️ 저장소 파일({path})이 손상되었습니다({reason}). 파일은 {aside} 로 옮겨 두었고, "
    "{at} 백업에서 되살렸습니다(보고서 {reports}건, 사용자 기록 {edits}건). "
    "그 백업 뒤의 변경은 빠져 있을 수 있습니다: `reportbot store backups` 로 확인하세요."
)
STORE_RESTORED_MISSING = (
    "⚠️ 저장소 파일({path})이 없어졌지만 백업이 있습니다. {at} 백업에서 되살렸습니다"
    "(보고서 {reports}건, 사용자 기록 {edits}건). `reportbot store backups` 로 확인하세요."
)
STORE_CORRUPT_NO_BACKUP = (
    "⚠️ 저장소 파일({path})이 손상되었습니다({reason}). 파일은 {aside} 로 옮겨 두었습니다. "
    "쓸 수 있는 백업이 없어 보고서 원본으로 새로 만듭니다(감사 상태·일정·구독 기록은 옮겨 둔 파일에만 있습니다)."
)
STORE_BAD_BACKUPS = "  (더 최근 백업 {count}개는 손상되어 건너뛰었습니다)"
STORE_CORRUPT_WHILE_RUNNING = (
    "⚠️ 실행 중에 저장소 파일이 손상되었습니다({reason}). {aside} 로 옮기고 메모리의 마지막 정상 상태로 다시 씁니다."
)
STORE_SKIPPED_RECORDS = "⚠️ 저장소의 기록 {count}건을 읽지 못해 건너뛰었습니다({tables}). 나머지는 그대로 씁니다."
STORE_IS_DIRECTORY = "오류: 저장소 경로 {path} 는 폴더입니다. --db 에는 JSON 파일 경로를 주세요(예: {path}/reportbot.json)."
STORE_NOT_WRITABLE = "오류: 저장소 {path} 를 열 수 없습니다: {reason}"
STORE_MISSING_BUILDING = "저장소 {path} 가 없어 보고서 폴더({reports})에서 새로 만듭니다(몇 초 걸립니다)."

# `reportbot store backups` / `store restore`
BACKUPS_HEADER = "백업 {count}개 ({dir}) — 최근 것부터:"
BACKUPS_NONE = "백업이 없습니다 ({dir})."
BACKUP_ROW = "  {n}. {at}  {size}  보고서 {reports}건 · 사용자 기록 {edits}건{bad}"
BACKUP_BAD = "  (손상됨)"
BACKUP_NO_SUCH = "오류: 백업 {n}번이 없습니다(1~{count})."
BACKUP_IS_BAD = "오류: 백업 {n}번은 손상되어 되살릴 수 없습니다."
RESTORED = "백업 {n}번({at})에서 저장소를 되살렸습니다. 되살리기 전의 저장소는 백업 2번으로 남아 있습니다(`reportbot store restore 2` 로 되돌림)."
RESTORE_LACKS = "이 백업에는 지금 저장소의 {what}이 없습니다."
RESTORE_LACKS_NOTHING = "이 백업에 빠진 기록은 없습니다."
LACK_LABELS = {
    "reports": "보고서",
    "audit_status": "감사 상태",
    "manual_milestones": "일정",
    "subscriptions": "구독",
    "sent_log": "발송 기록",
    "meta": "설정 값",
}

# reminders
MAYBE_RESENT = "(재발송일 수 있음) 봇이 발송 도중 멈춰, 이미 받은 알림일 수 있습니다."

# -- Slack and Telegram conventions: public notices, where the bot can post, App Home ------
# public lines in the channel ({user} is the platform's mention of who did it)
NOTICE_SUBSCRIBED = "{user}님이 이 채널에 {target} 일정 알림을 구독했습니다."
NOTICE_DIGEST_SUBSCRIBED = "{user}님이 이 채널에 주간 요약을 구독했습니다."
NOTICE_MILESTONE_ADDED = "{user}님이 일정을 추가했습니다: {when} {title}"
NOTICE_AUDIT_DONE = "{user}님이 감사 후속조치 {number}번을 완료로 기록했습니다."
NOTICE_SOMEONE = "누군가"
# Slack: where the bot can post
SLACK_CANNOT_POST_TITLE = "이 대화방에는 알림을 보낼 수 없습니다"
SLACK_INVITE_HINT = "봇이 이 채널에 없습니다. 먼저 채널에서 `/invite @reportbot` 으로 봇을 초대한 뒤 다시 구독해 주세요."
SLACK_DM_HINT = "다른 사람과의 개인 메시지에는 봇이 글을 쓸 수 없습니다. 채널에서 구독하거나, 봇과의 메시지 탭(앱 홈)에서 구독해 주세요."
SLACK_ARCHIVED_HINT = "보관된 채널에는 알림을 보낼 수 없습니다."
SLACK_PAUSED_DM = "<#{channel}> 채널에 알림을 보내지 못해({reason}) 이 채널의 구독을 멈췄습니다: {targets}. 봇을 채널에 초대한 뒤 채널에서 /subscribe 를 다시 입력하면 이어서 보냅니다."
SUBSCRIPTION_PAUSED_ROW = "  (멈춤: 봇이 채널에 글을 쓸 수 없음 · {since}) 봇을 초대한 뒤 /subscribe 로 다시 켜세요"
TARGET_DIGEST = "주간 요약"
# Slack App Home
HOME_TITLE = "reportbot"
HOME_INTRO = "업무보고에서 예산·주요업무·감사·일정을 찾아 드립니다. 아래 버튼을 누르면 답이 이 앱의 메시지 탭으로 옵니다."
HOME_SUBS = "내 구독"
HOME_SUBS_EMPTY = "구독이 없습니다. 채널에서 `/subscribe 부서이름` 으로 일정 알림을 받을 수 있습니다."
HOME_SUB_ROW = "<#{channel}> · {target}{paused}"
HOME_SUB_PAUSED = " · 멈춤(봇 초대 필요)"
HOME_UNSUBSCRIBE = "해지"
HOME_UPCOMING = "앞으로 {days}일 · 내가 구독한 부서·사업"
HOME_UPCOMING_EMPTY = "앞으로 {days}일 안에 구독한 부서·사업의 일정이 없습니다."
HOME_UPCOMING_ALL = "(전체 구독: /upcoming {days} 로 모두 보기)"
HOME_REPORTS = "최근 저장된 보고서"
HOME_REPORTS_EMPTY = "저장된 보고서가 없습니다."
HOME_SHORTCUTS = "자주 묻는 것"
HOME_SHORTCUT_ITEMS = [
    ("다가오는 일정", "/upcoming"),
    ("부서별 예산", "/budget"),
    ("안 끝난 감사", "/audit open"),
    ("주간 요약", "/digest"),
    ("도움말", "/help"),
]
HOME_UPDATED = "{at} 기준 · 앱 홈을 열 때마다 새로 고칩니다"
# Telegram deep links
TELEGRAM_BAD_START = "링크에 담긴 명령을 읽지 못했습니다. 명령을 직접 입력해 주세요. 예: /budget 뉴미디어담당관"

# -- the PostgreSQL store (REPORTBOT_DB=postgresql://…) and `reportbot store migrate` ------------------
STORE_DB_UNREACHABLE = "오류: PostgreSQL 저장소 {url} 에 연결할 수 없습니다: {reason}"
STORE_PG_BACKUPS = "PostgreSQL 저장소({url})의 백업과 복구는 데이터베이스의 것(pg_dump, pg_restore)을 씁니다. `store backups`·`store restore` 는 JSON 파일 저장소용입니다."
MIGRATE_HEADER = "저장소 옮기기: {src} → {dst}"
MIGRATE_ROW = "  {label}: 원본 {src}건 → 대상 {dst}건{mark}"
MIGRATE_ROW_BAD = "  ← 다름"
MIGRATE_DONE = "옮기기를 마쳤습니다. 모든 항목의 건수가 같습니다."
MIGRATE_MISMATCH = "오류: 건수가 다른 항목이 있습니다({tables}). 대상 저장소를 확인하세요."
MIGRATE_TARGET_NOT_EMPTY = "오류: 대상 저장소 {dst} 에 이미 보고서 {count}건이 있습니다. 빈 PostgreSQL 저장소로만 옮깁니다."
MIGRATE_SOURCE_MISSING = "오류: 원본 저장소 {src} 가 없습니다."
MIGRATE_TARGET_NOT_PG = "오류: PostgreSQL 주소(postgresql://…)를 주세요: {dst}"
MIGRATE_LABELS = {
    "reports": "보고서",
    "report_records": "보고서 기록",
    "audit_status": "감사 상태",
    "manual_milestones": "추가한 일정",
    "subscriptions": "구독",
    "sent_log": "발송 기록",
    "send_claims": "발송 중 기록",
    "changes": "변경 기록",
    "meta": "봇 설정값",
    "buttons": "긴 버튼 명령",
}
