"""Numbers as readers see them on the pages."""

from __future__ import annotations

import pytest

from groendraad.charts.text import Lang


@pytest.mark.parametrize(("code", "zero"), [("nl", "0,00"), ("en", "0.00")])
def test_a_tiny_negative_value_is_zero_not_minus_zero(code: str, zero: str) -> None:
    assert Lang(code).number(-1e-12) == zero
    assert Lang(code).number(-0.004) == zero


def test_thousands_and_minus_signs_stay_as_they_were() -> None:
    assert Lang("nl").number(-6669.4) == "−6.669"
    assert Lang("en").number(1234567.0) == "1,234,567"
    assert Lang("nl").number(-0.5) == "−0,50"
