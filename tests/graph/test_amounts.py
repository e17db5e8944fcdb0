"""Amount phrases as the extractor finds them in real articles, read as value and currency or
unit for schema:MonetaryAmount / schema:QuantitativeValue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from graph.amounts import Amount, parse_amount


@pytest.mark.parametrize(("text", "expected"), [
    # inputs/000_78550d0996ebba57.txt and inputs/003_4eda478095a05fe6.txt
    ("nearly $1 billion", Amount(Decimal(1_000_000_000), currency="USD")),
    ("around $315 billion", Amount(Decimal(315_000_000_000), currency="USD")),
    ("$1.1 trillion", Amount(Decimal(1_100_000_000_000), currency="USD")),
    ("$34.5 billion", Amount(Decimal(34_500_000_000), currency="USD")),
    ("HK$349.8", Amount(Decimal("349.8"), currency="HKD")),
    ("HK$134.6", Amount(Decimal("134.6"), currency="HKD")),
    ("about 100 billion yuan", Amount(Decimal(100_000_000_000), currency="CNY")),
    ("2.88%", Amount(Decimal("2.88"), unit="%", unit_code="P1")),
    ("over 16%", Amount(Decimal(16), unit="%", unit_code="P1")),
    # inputs/wikinews_157.txt
    ("an estimated 1.15%", Amount(Decimal("1.15"), unit="%", unit_code="P1")),
    ("2%", Amount(Decimal(2), unit="%", unit_code="P1")),
    # other currencies, scales and units
    ("USD 5 million", Amount(Decimal(5_000_000), currency="USD")),
    ("€3.2bn", Amount(Decimal(3_200_000_000), currency="EUR")),
    ("£40m", Amount(Decimal(40_000_000), currency="GBP")),
    ("two million dollars", Amount(Decimal(2_000_000), currency="USD")),
    ("a billion yuan", Amount(Decimal(1_000_000_000), currency="CNY")),
    ("12 billion forints", Amount(Decimal(12_000_000_000), currency="HUF")),
    ("5 EUR", Amount(Decimal(5), currency="EUR")),
    ("about 20 per cent", Amount(Decimal(20), unit="%", unit_code="P1")),
    ("1,200 kilometres", Amount(Decimal(1200), unit="kilometres")),
    ("-3.5%", Amount(Decimal("-3.5"), unit="%", unit_code="P1")),
])
def test_amount_phrases(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["some money", "one-third", "a fraction", ""])
def test_phrases_without_a_number_give_none(text):
    assert parse_amount(text) is None
