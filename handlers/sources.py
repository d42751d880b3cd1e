"""Moved: the report choice is a query (``bot.lookups.reports``), the source line a
reply fragment (``bot.replies.sources``); this name stays until no command imports it."""

from bot.lookups.reports import newest_reports, pick_report, report_token
from bot.replies.sources import footnote, report_date_text, report_label, year_label

__all__ = ["footnote", "newest_reports", "pick_report", "report_date_text", "report_label", "report_token", "year_label"]
