"""Amount phrases ("nearly $1 billion", "HK$349.8", "2.88%") read as a number with its currency
or unit, for the ``schema:MonetaryAmount`` / ``schema:QuantitativeValue`` of the RDF export.

The phrase itself is always kept; the number is what the phrase states, so "nearly $1 billion"
is 1000000000 USD (the hedge stays in the phrase).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

#: Currency symbols and words, longest first where one is the start of another; "$" alone is
#: the US dollar, as in English-language news.
CURRENCY_SYMBOLS = {
    "US$": "USD", "HK$": "HKD", "NT$": "TWD", "NZ$": "NZD", "A$": "AUD", "AU$": "AUD",
    "C$": "CAD", "CA$": "CAD", "S$": "SGD", "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP",
    "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "RMB": "CNY", "Rs": "INR", "Rs.": "INR",
}
CURRENCY_WORDS = {
    "us dollars": "USD", "u.s. dollars": "USD", "hong kong dollars": "HKD", "dollars": "USD",
    "dollar": "USD", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "euros": "EUR",
    "euro": "EUR", "pounds sterling": "GBP", "sterling": "GBP", "yen": "JPY", "won": "KRW",
    "rupees": "INR", "rupee": "INR", "forints": "HUF", "forint": "HUF", "roubles": "RUB",
    "rubles": "RUB", "francs": "CHF", "swiss francs": "CHF",
}
ISO_CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CNY", "HKD", "TWD", "KRW", "INR", "RUB", "HUF",
                  "CHF", "AUD", "CAD", "SGD", "NZD", "BRL"}
SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6,
          "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
                "twelve": 12, "twenty": 20, "hundred": 100, "dozen": 12}
PERCENT_WORDS = ("%", "percent", "per cent", "pct")
#: UN/CEFACT common code of a percentage, the ``schema:unitCode`` schema.org recommends.
PERCENT_CODE = "P1"

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_SYMBOL = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_ISO = "|".join(sorted(ISO_CURRENCIES))
# Optional currency before the number ("HK$", "USD "), the number in digits or words and an
# optional scale ("billion", "bn"); what follows (currency word, unit, "%") is read after it.
_AMOUNT = re.compile(
    rf"(?P<symbol>{_SYMBOL}|\b(?:{_ISO}|Rs\.?)\s)?\s*"
    rf"(?P<number>{_NUMBER.pattern}|\b(?:{'|'.join(NUMBER_WORDS)})\b)"
    rf"(?:\s*(?P<scale>{'|'.join(sorted(SCALES, key=len, reverse=True))})\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Amount:
    """A number with either an ISO 4217 ``currency`` or a ``unit`` (``unit_code`` when known)."""

    value: Decimal
    currency: str | None = None
    unit: str | None = None
    unit_code: str | None = None

    @property
    def is_money(self) -> bool:
        return self.currency is not None


def parse_amount(text: str) -> Amount | None:
    """Read the number and currency or unit of an amount phrase; ``None`` when it holds no
    number.

    >>> parse_amount("nearly $1 billion")
    Amount(value=Decimal('1000000000'), currency='USD', unit=None, unit_code=None)
    >>> parse_amount("HK$349.8").currency, parse_amount("100 billion yuan").value
    ('HKD', Decimal('100000000000'))
    >>> parse_amount("an estimated 1.15%")
    Amount(value=Decimal('1.15'), currency=None, unit='%', unit_code='P1')
    >>> parse_amount("500 tonnes").unit, parse_amount("some money")
    ('tonnes', None)
    """
    for match in _AMOUNT.finditer(text):
        number = match["number"].lower()
        if number in NUMBER_WORDS and not (match["scale"] or match["symbol"]):
            continue  # "an estimated": a word is a number only with a scale or currency
        value = (Decimal(NUMBER_WORDS[number]) if number in NUMBER_WORDS
                 else Decimal(number.replace(",", "")))
        if match["scale"]:
            value *= SCALES[match["scale"].lower()]
        rest = text[match.end():].strip()
        value = Decimal(int(value)) if value == value.to_integral() else value.normalize()
        return _with_unit(value, (match["symbol"] or "").strip(), rest)
    return None


def _with_unit(value: Decimal, symbol: str, rest: str) -> Amount:
    if symbol:
        return Amount(value, currency=CURRENCY_SYMBOLS.get(symbol, symbol.upper()))
    lowered = rest.lower()
    for word in sorted(CURRENCY_WORDS, key=len, reverse=True):
        if lowered == word or lowered.startswith(word + " "):
            return Amount(value, currency=CURRENCY_WORDS[word])
    code = rest.split(" ", 1)[0]
    if code.upper() in ISO_CURRENCIES and code.isupper():
        return Amount(value, currency=code)
    for word in PERCENT_WORDS:
        if lowered.startswith(word):
            return Amount(value, unit="%", unit_code=PERCENT_CODE)
    return Amount(value, unit=rest or None)
