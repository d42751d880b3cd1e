"""Money is shown the way budget staff read it: never a bare 천원 integer."""

from __future__ import annotations

import pytest

from bot.lookups.columns import column_kind
from bot.replies.money import format_money, format_rate, format_value


def test_thousand_won_amount_is_spelled_in_eok_and_man():
    assert format_money(7_909_143, "천원") == "79억 914만원"


def test_thousand_won_amount_rounds_to_man_won_above_one_eok():
    assert format_money(3_498_848, "천원") == "34억 9,885만원"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (102_311_394, "1,023억 1,139만원"),
        (45_000, "4,500만원"),
        (33_125, "3,312만 5천원"),
        (929, "92만 9천원"),
        (0, "0원"),
        (762_131 * 100_000_000 // 1000, "76조 2,131억원"),
        (-2_273_000, "△22억 7,300만원"),
    ],
)
def test_thousand_won_amounts_of_every_size(value, expected):
    assert format_money(value, "천원") == expected


def test_million_won_amount_keeps_its_unit_with_separators():
    assert format_money(3974, "백만원") == "3,974백만원"
    assert format_money(-411_981, "백만원") == "△411,981백만원"


def test_eok_won_amount_keeps_its_unit():
    assert format_money(762_131, "억원") == "762,131억원"


def test_rates_are_printed_as_in_the_report():
    assert format_rate(44.2) == "44.2%"
    assert format_rate(100.0) == "100.0%"
    assert format_rate(23.35) == "23.35%"


def test_columns_are_read_by_their_header():
    assert column_kind("집행률(%)") == "rate"
    assert column_kind("2021년사업수") == "count"
    assert column_kind("예산현액(A+B)") == "money"
    assert format_value("2020년최종사업수", 58, "백만원") == "58"
    assert format_value("집행률", 44.2, "천원") == "44.2%"
    assert format_value("집행액", 3_498_848, "천원") == "34억 9,885만원"
