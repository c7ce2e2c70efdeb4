"""The configuration's emissions section: contracted electricity and the fixed year."""

from __future__ import annotations

import polars as pl
import pytest

from groendraad.errors import ConfigError
from groendraad.metrics.emission_settings import settings_from_config, with_contracts
from groendraad.metrics.factors import MARKET, TTW, factor_table, load_factors

from .factor_rows import factor

WIND = {"from": 2020, "to": 2022, "supplier": "Wind BV", "factor_kg_per_kwh": 0.0,
        "citation": "Wind BV stroometiket 2020-2022"}  # fmt: skip


def test_a_contract_prices_its_years_and_the_residual_mix_the_others() -> None:
    settings = settings_from_config({"market_electricity": [WIND], "fixed_factor_year": 2025})
    assert settings.fixed_year == 2025
    factors = with_contracts(load_factors(), settings)
    table = factor_table(factors, "energy", [2019, 2021, 2023], MARKET, TTW)
    electricity = dict(
        table.filter(pl.col("activity") == "electricity").select("year", "factor").iter_rows()
    )
    assert electricity[2021] == 0.0
    assert electricity[2019] == factor("electricity", 2019, "ttw", "market")
    assert electricity[2023] == factor("electricity", 2023, "ttw", "market")
    assert settings_from_config(None).fixed_year == 2018  # the CO2 target's baseline year


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({**WIND, "citation": ""}, "emissions.market_electricity[0]: citation is missing"),
        ({**WIND, "factor_kg_per_kwh": "groen"}, "factor_kg_per_kwh: expected a number"),
    ],
)
def test_a_bad_contract_is_a_located_config_error(entry: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        settings_from_config({"market_electricity": [entry]})


def test_two_contracts_for_one_year_are_refused() -> None:
    settings = settings_from_config(
        {"market_electricity": [WIND, {**WIND, "from": 2022, "to": None}]}
    )
    with pytest.raises(ConfigError, match="two factors for one year"):
        with_contracts(load_factors(), settings)
