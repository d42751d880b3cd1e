"""Moved: which fiscal year a figure belongs to is a query (``bot.lookups.fiscal``)."""

from bot.lookups.fiscal import Figure, budget_column, column_year, figure_rank, figures_of, is_year_label, table_year

__all__ = ["Figure", "budget_column", "column_year", "figure_rank", "figures_of", "is_year_label", "table_year"]
