"""The configuration is checked against its schema: typos are located errors, not
silently dropped sources; the README's example is a valid configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from groendraad.config import load_config
from groendraad.errors import ConfigError

README = Path(__file__).resolve().parent.parent / "README.md"
DEMO = Path(__file__).resolve().parent.parent / "groendraad" / "demo" / "demo.yaml"

GOOD = """\
institution: {id: test-umc, name: Test UMC}
sources:
  waste:
    path: afval/afval_{month}.csv
    encoding: auto
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "groendraad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def test_a_misspelt_source_is_an_error_with_its_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("  waste:", "  wast:"))
    expected = f"{path}:3: sources.wast: unknown source 'wast' (did you mean 'waste'?)"
    assert expected in error_of(path)


def test_a_misspelt_setting_is_an_error_with_its_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("encoding:", "encodng:"))
    message = error_of(path)
    assert f"{path}:5: sources.waste.encodng: unknown setting 'encodng'" in message
    assert "(did you mean 'encoding'?)" in message


def test_every_problem_is_listed_and_a_wrong_value_named(tmp_path: Path) -> None:
    text = GOOD + "  energy:\n    base_url: http://x\n    timeout_s: ten\n"
    text += "orchestration:\n  retries: 3\n"
    path = write(tmp_path, text)
    message = error_of(path)
    assert f"{path}:8: sources.energy.timeout_s: Input should be a valid number" in message
    assert f"{path}:10: orchestration.retries: unknown setting 'retries'" in message


def test_a_missing_required_setting_points_at_its_section(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("    path: afval/afval_{month}.csv\n", ""))
    assert f"{path}:3: sources.waste.path: required, but missing" in error_of(path)


def test_an_unknown_encoding_is_refused_at_load(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("encoding: auto", "encoding: latin-99"))
    assert "unknown encoding 'latin-99'" in error_of(path)


def test_values_from_the_environment_are_accepted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEST_TIMEOUT", "12")
    text = GOOD + "  energy:\n    base_url: http://x\n    timeout_s: ${TEST_TIMEOUT}\n"
    assert load_config(write(tmp_path, text)).source("energy").get("timeout_s") == "12"


def readme_configuration() -> str:
    """The YAML block after "Write one configuration file" in the README, verbatim."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("Write one configuration file") :]
    return re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readme_configuration_example_is_valid_verbatim(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, readme_configuration()))
    assert config.institution_id == "my-umc"
    assert {"reference", "energy", "waste"} <= set(config.sources)
    assert config.source("waste").get("encoding") == "auto"


def test_the_demo_configuration_is_valid(monkeypatch) -> None:
    monkeypatch.setenv("GROENDRAAD_DEMO_URL", "http://127.0.0.1:9")
    assert len(load_config(DEMO).sources) == 7


def test_the_operations_guide_sections_are_valid(tmp_path: Path) -> None:
    docs = README.parent / "docs" / "operations.md"
    block = re.search(r"```yaml\n(orchestration:.*?)```", docs.read_text(), re.DOTALL).group(1)
    config = load_config(write(tmp_path, "institution: {id: x}\n" + block))
    assert config.raw["notifications"]["email"]["to"] == ["duurzaamheid@example.nl"]


def test_a_misspelt_section_is_named_as_one(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "orchestraton:\n  fetch_retries: 1\n")
    assert "orchestraton: unknown section 'orchestraton' (did you mean 'orchestration'?)" in (
        error_of(path)
    )
