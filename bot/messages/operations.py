"""What the CLI and the store say: ingest, uploads in chat, corruption, backups, restore, the PostgreSQL store."""

from __future__ import annotations

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
