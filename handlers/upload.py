"""/upload save|cancel TOKEN (the 저장/취소 buttons under a chat upload preview) and
/reports (the stored reports, with who added an uploaded one and when)."""

from __future__ import annotations

from bot import messages as M
from bot.replies import Reply, ReplyKind, Table
from handlers.context import Context
from handlers.registry import command


@command("upload", M.UPLOAD_COMMAND_SUMMARY, admin_only=True)
def upload(args: str, ctx: Context) -> Reply:
    from bot.upload import Uploads

    verb, _, token = args.partition(" ")
    uploads = Uploads(ctx.store, ctx.settings)
    user = ctx.user_id or ""
    if verb == "save" and token:
        return uploads.save(token.strip(), user)
    if verb == "cancel" and token:
        return uploads.cancel(token.strip(), user)
    return Reply(kind=ReplyKind.USAGE, title=M.UPLOAD_USAGE, shareable=False)


@command("reports", M.REPORTS_COMMAND_SUMMARY)
def reports(args: str, ctx: Context) -> Reply:
    from bot.replies.sources import report_label
    from bot.upload import provenance

    rows = []
    for r in ctx.store.reports():
        who = provenance(ctx.store, r.id)
        added = M.REPORTS_UPLOADED.format(by=who["by"], at=who["at"][:16].replace("T", " ")) if who else M.REPORTS_FROM_FILE
        rows.append([report_label(r), r.doc, added])
    if not rows:
        return Reply(kind=ReplyKind.NOT_FOUND, title=M.REPORTS_NONE)
    return Reply(
        title=M.REPORTS_TITLE.format(count=len(rows)),
        table=Table(columns=list(M.REPORTS_COLUMNS), rows=rows),
    )
