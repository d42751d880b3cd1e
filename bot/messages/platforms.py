"""Platform conventions: Telegram, Slack, the console, public notices, App Home, deep links."""

from __future__ import annotations

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


# -- console --------------------------------------------------------------------------
CONSOLE_WELCOME = "reportbot 콘솔입니다. 명령을 입력하세요(예: /budget 뉴미디어담당관). 도움말 /help · 끝내기 /quit 또는 Ctrl-D"
CONSOLE_TODAY = "오늘 날짜: {today}{pinned}"
CONSOLE_PINNED = " (고정된 기준일)"
CONSOLE_BYE = "종료합니다."
CONSOLE_DELIVERY = "[알림 → {channel}]"
PLATFORM_STOPPED = "{platform} 연결을 시작하지 못해 봇을 멈춥니다. 위의 안내(토큰·설정)를 확인해 주세요."


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
