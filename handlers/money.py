"""Moved: money text is a reply fragment (``bot.replies.money``)."""

from bot.replies.money import NEGATIVE, column_label, format_count, format_money, format_rate, format_value

__all__ = ["NEGATIVE", "column_label", "format_count", "format_money", "format_rate", "format_value"]
