from datetime import UTC
from pathlib import Path

import pytest

from groendraad.config import load_config
from groendraad.errors import ConfigError
from groendraad.months import Month, month_range

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "groendraad" / "demo" / "demo.yaml"


def test_demo_config_names_credentials_by_environment_variable(monkeypatch) -> None:
    monkeypatch.setenv("GROENDRAAD_DEMO_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("GROENDRAAD_DEMO_ENERGY_TOKEN", "s3cret")
    config = load_config(DEMO_CONFIG)
    energy = config.source("energy")
    assert energy.get("base_url") == "http://127.0.0.1:9/energy"
    assert energy.secret("token") == "s3cret"
    assert "s3cret" not in DEMO_CONFIG.read_text()
    waste = config.source("waste")
    assert waste.path("path", Month(2025, 10)) == DEMO_CONFIG.parent / "afval" / "afval_2025-10.csv"


def test_missing_environment_variable_is_named(monkeypatch) -> None:
    monkeypatch.delenv("GROENDRAAD_DEMO_URL", raising=False)
    with pytest.raises(ConfigError, match="GROENDRAAD_DEMO_URL"):
        load_config(DEMO_CONFIG)


def test_unset_credential_is_named_not_shown(monkeypatch) -> None:
    monkeypatch.setenv("GROENDRAAD_DEMO_URL", "http://x")
    monkeypatch.delenv("GROENDRAAD_DEMO_FOOD_API_KEY", raising=False)
    food = load_config(DEMO_CONFIG).source("food_waste")
    with pytest.raises(ConfigError, match="GROENDRAAD_DEMO_FOOD_API_KEY"):
        food.secret("api_key")


@pytest.mark.parametrize(
    ("text", "problem"),
    [("institution: {}\n", "institution.id"), ("- a\n- b\n", "mapping"), ("a: [\n", "YAML")],
)
def test_bad_config_files_say_what_is_wrong(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "groendraad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=problem):
        load_config(path)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")


def test_months() -> None:
    assert str(Month.parse("2024-02")) == "2024-02"
    assert Month(2024, 2).days == 29
    assert Month(2024, 12).next() == Month(2025, 1)
    assert Month(2025, 1).previous() == Month(2024, 12)
    assert len(month_range(Month(2016, 1), Month(2026, 10))) == 130
    from datetime import date

    assert Month.previous_full(date(2026, 1, 5)) == Month(2025, 12)
    # October is 745 hours long (DST ends), March 743: measured in UTC, as wall-clock
    # subtraction of same-zone datetimes in Python ignores the shift
    for month, hours in ((Month(2025, 10), 745), (Month(2025, 3), 743)):
        start, end = (t.astimezone(UTC) for t in (month.start_local(), month.end_local()))
        assert (end - start).total_seconds() == hours * 3600
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse("2025-1")
