"""Invoice numbers: unique, consecutive and gapless per clinic and financial year.

India's GST rules (CGST Rule 46(b)) ask for a consecutive serial number of at most 16 characters,
unique for a financial year; the clinic sets the prefix and the month its year starts (April in
India). The number is PREFIX/YYYY/N, the year being the one the financial year starts in and N
the counter, zero-padded to four digits and growing past them if a clinic issues more.
"""

from __future__ import annotations

from datetime import date

__all__ = ["MAX_NUMBER_LENGTH", "financial_year", "invoice_number"]

MAX_NUMBER_LENGTH = 16


def financial_year(day: date, start_month: int) -> int:
    """The calendar year in which the financial year containing `day` began."""
    if not 1 <= start_month <= 12:
        raise ValueError(f"the financial year start month must be 1 to 12, got {start_month}")
    return day.year if day.month >= start_month else day.year - 1


def invoice_number(prefix: str, year: int, serial: int) -> str:
    number = f"{prefix}/{year}/{serial:04d}" if prefix else f"{year}/{serial:04d}"
    if len(number) > MAX_NUMBER_LENGTH:
        raise ValueError(f"invoice number {number} is longer than {MAX_NUMBER_LENGTH} characters: shorten the prefix")
    return number
