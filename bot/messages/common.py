"""General replies and the which-report fragments every command shares."""

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


# -- which report: the year asked has none, the other years (every command) ---------------
NO_YEAR_TITLE = "{year}년 자료가 없습니다"
OTHER_YEAR = "{year} 보기"
OTHER_YEARS = "다른 연도·보고서: {years}"
OTHER_YEARS_MORE = "{shown} 외 {more}건"
