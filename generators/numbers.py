"""How the site computes a rate: one declared rule, used by every page, chart, download
and figure check.

A rate is 100 × part ÷ whole, rounded half up (四舍五入: 12.5 → 13, where Python's
`round` gives 12) to `places` decimals with `decimal`, never binary floats; with no whole
it is unknown (None, shown as —), never 0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rate(part: int, whole: int, places: int = 1) -> float | None:
    """100 × part ÷ whole, rounded half up to `places` decimals; None when whole is 0."""
    if not whole:
        return None
    exact = Decimal(100 * part) / Decimal(whole)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(rounded) if places == 0 else float(rounded)


def exact_rate(part: int, whole: int, places: int) -> Decimal | None:
    """The same rate as a Decimal with exactly `places` decimals, for checking a published
    figure at the precision it was published with (97.35 at two decimals, 97.4 at one)."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(value: float | Decimal | None) -> str:
    """A rate as readers see it: 97.4%, or — when unknown."""
    return "—" if value is None else f"{value:g}%"
