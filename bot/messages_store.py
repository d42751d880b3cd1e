"""User-facing Korean text about the store itself: corruption, backups, restore, claims.

(Kept apart from ``bot.messages`` while several people edit that file; the lead may
merge it.)"""

from __future__ import annotations

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
STORE_MISSING_REFUSED = (
    "오류: 저장소 {path} 가 없습니다. 보고서 폴더({reports})에서 만들려면 `reportbot --db {path} ingest 파일…` "
    "을 쓰거나 --build 를 붙이세요."
)

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
