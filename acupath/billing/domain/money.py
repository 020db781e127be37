"""Money as Decimal in a currency's minor units (ISO 4217, from Babel's CLDR data).

No floats: amounts arrive as Decimal or decimal strings and are quantized to the currency's minor
units (INR 2, JPY 0, BHD 3) with half-up rounding, the way an invoice total is rounded by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision, list_currencies

__all__ = ["InvalidMoney", "is_currency", "line_amounts", "quantize"]


class InvalidMoney(ValueError):
    """An amount or currency the clinic must correct; the message says what to fix."""


def is_currency(code: str) -> bool:
    return code in list_currencies()


def quantize(amount: Decimal | str, currency: str) -> Decimal:
    if not is_currency(currency):
        raise InvalidMoney(f"{currency!r} is not an ISO 4217 currency code (for example INR or USD)")
    if isinstance(amount, float):
        raise InvalidMoney("amounts must be decimals, not floating-point numbers")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise InvalidMoney(f"{amount!r} is not an amount") from None
    if not value.is_finite():
        raise InvalidMoney(f"{amount!r} is not an amount")
    return value.quantize(Decimal(1).scaleb(-get_currency_precision(currency)), rounding=ROUND_HALF_UP)


def line_amounts(
    *, quantity: Decimal, unit_price: Decimal, tax_rate: Decimal, currency: str
) -> tuple[Decimal, Decimal]:
    """(net, tax) of one invoice line: tax is the percentage `tax_rate` of the rounded net."""
    if quantity <= 0:
        raise InvalidMoney("quantity must be more than zero")
    if unit_price < 0:
        raise InvalidMoney("unit price must not be negative")
    if not Decimal(0) <= tax_rate <= Decimal(100):
        raise InvalidMoney("tax rate must be a percentage from 0 to 100")
    net = quantize(quantity * unit_price, currency)
    return net, quantize(net * tax_rate / 100, currency)
