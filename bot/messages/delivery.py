"""Reminders, subscriptions, /milestone and the weekly digest."""

from __future__ import annotations

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


# reminders
MAYBE_RESENT = "(재발송일 수 있음) 봇이 발송 도중 멈춰, 이미 받은 알림일 수 있습니다."
