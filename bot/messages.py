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
NOT_A_COMMAND_TITLE = "명령은 /로 시작합니다"
NOT_A_COMMAND = "예: /budget 뉴미디어담당관, /upcoming 30 · 전체 목록은 /help"
UNKNOWN_COMMAND_TITLE = "알 수 없는 명령입니다"
UNKNOWN_COMMAND = "'/{name}' 명령은 없습니다. /help 로 사용할 수 있는 명령을 확인해 주세요."
ADMIN_ONLY_TITLE = "관리자 전용 명령입니다"
ADMIN_ONLY = "이 명령은 설정에 등록된 관리자만 사용할 수 있습니다."

# -- ingest and the store (CLI) ------------------------------------------------------
INGEST_ERROR = "오류: {file}: {reason}"
INGEST_ADDED = "추가: {file} → {title} ({org}, {date})"
INGEST_REPLACED = "다시 반영: {file} → {title} ({org}, {date}) — 이전 기록을 교체했습니다"
INGEST_UNCHANGED = "변경 없음: {file} (이미 같은 내용이 저장되어 있습니다)"
STORE_CORRUPT = "저장소 파일이 손상되어 {aside} 로 옮겨 두었습니다. 백업 또는 보고서 원본으로 다시 만듭니다."
STORE_BUILT = "저장소를 새로 만들었습니다: 보고서 {count}건 ({path})"
STORE_NO_REPORTS = "보고서 폴더({path})에 읽을 보고서가 없습니다."
PARSE_SUMMARY = "{title} ({org}, {date}): 부서 {depts}, 예산 {budget}행, 주요업무 {programs}, 감사 {audit}건, 일정 {milestones}건"
BAD_AS_OF = "날짜 형식이 올바르지 않습니다: '{value}'. 예: --as-of 2021-09-06"
UNKNOWN_PLATFORM = "알 수 없는 플랫폼입니다: '{value}'. console, slack, telegram 중에서 고르세요(쉼표로 여러 개)."
