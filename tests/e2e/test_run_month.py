"""End to end: `groendraad run` for one month against the loopback demo server.

The staging tables are checked against figures computed independently from the
generated deliveries (tests/e2e/independent.py), not with the pipeline's code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest

from groendraad.demo import DemoServer, generate
from groendraad.months import Month

from . import independent

MONTH = Month(2025, 10)
CLI = str(Path(sys.executable).parent / "groendraad")
pytestmark = pytest.mark.slow


@dataclass
class Demo:
    out: Path
    env: dict[str, str]
    url: str
    token: str
    api_key: str

    def run(self, *args: str, warehouse: Path | None = None) -> subprocess.CompletedProcess[str]:
        command = [CLI, *args, "--config", str(self.out / "groendraad.yaml")]
        command += ["--warehouse", str(warehouse or self.out / "warehouse")]
        return subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    out = tmp_path_factory.mktemp("demo")
    generated = generate(out, Month(2025, 9), MONTH, seed=11, fault_rate=0.0)
    token, api_key = "e2e-token-123", "e2e-key-456"
    with DemoServer(generated, token=token, api_key=api_key) as server:
        env = {
            **os.environ,
            "GROENDRAAD_DEMO_URL": server.url,
            "GROENDRAAD_DEMO_ENERGY_TOKEN": token,
            "GROENDRAAD_DEMO_FOOD_API_KEY": api_key,
            "COLUMNS": "200",
        }
        yield Demo(out, env, server.url, token, api_key)


def staged(warehouse: Path, table: str, expression: str) -> tuple:
    pattern = str(warehouse / "staging" / table / f"month={MONTH}" / "*.parquet")
    return duckdb.execute(f"select {expression} from read_parquet(?)", [pattern]).fetchone()  # noqa: S608


def test_run_stages_every_source_and_agrees_with_independent_figures(demo: Demo) -> None:
    done = demo.run("run", "--month", str(MONTH))
    assert done.returncode == 0, done.stdout + done.stderr
    for source in ("reference", "energy", "waste", "food_waste", "disposables", "mobility"):
        assert source in done.stdout
    wh = demo.out / "warehouse"

    waste_kg, waste_lines = independent.waste_total_kg(demo.out / "afval" / f"afval_{MONTH}.csv")
    assert staged(wh, "waste_collections", "sum(weight_kg), count(*)") == pytest.approx(
        (waste_kg, waste_lines)
    )
    km = independent.commuting_km(demo.out / "hr" / f"woonwerk_{MONTH}.csv")
    assert staged(wh, "commuting", "sum(commute_km)")[0] == pytest.approx(km)
    eur = independent.medicine_eur(demo.out / "apotheek" / f"geneesmiddelverspilling_{MONTH}.csv")
    assert staged(wh, "medicine_waste", "sum(value_eur)")[0] == pytest.approx(eur)

    energy = independent.energy_by_carrier(
        demo.url + "/energy", demo.token, MONTH.start_local(), MONTH.end_local()
    )
    for carrier, total in energy.items():
        got = duckdb.execute(
            "select sum(value) from read_parquet(?) where carrier = ?",
            [str(wh / "staging" / "energy_readings" / f"month={MONTH}" / "*.parquet"), carrier],
        ).fetchone()[0]
        assert got == pytest.approx(total), carrier
    food = independent.food_waste_kg(
        demo.url + "/foodwaste", demo.api_key, "centrale-keuken", 2025, 10
    )
    assert staged(wh, "food_waste_events", "sum(weight_kg)")[0] == pytest.approx(food)


def test_raw_layer_keeps_each_file_byte_for_byte(demo: Demo) -> None:
    wh = demo.out / "warehouse"
    if not (wh / "raw").exists():
        assert demo.run("run", "--month", str(MONTH)).returncode == 0
    (manifest,) = (wh / "raw" / "waste" / f"month={MONTH}").glob("*/manifest.json")
    record = json.loads(manifest.read_text())
    delivered = (demo.out / "afval" / f"afval_{MONTH}.csv").read_bytes()
    assert (manifest.parent / f"afval_{MONTH}.csv").read_bytes() == delivered
    assert record["parts"][0]["location"].endswith(f"afval_{MONTH}.csv")
    energy_parts = json.loads(next((wh / "raw" / "energy").rglob("manifest.json")).read_text())
    assert all(demo.token not in p["location"] for p in energy_parts["parts"])


def test_rerun_gives_the_same_tables_not_duplicates(demo: Demo, tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    assert demo.run("run", "--month", str(MONTH), warehouse=wh).returncode == 0
    first = staged(wh, "energy_readings", "count(*), sum(value)")
    assert demo.run("run", "--month", str(MONTH), warehouse=wh).returncode == 0
    assert staged(wh, "energy_readings", "count(*), sum(value)") == first
    assert len(list((wh / "staging" / "energy_readings").rglob("*.parquet"))) == 1


def test_a_bad_delivery_fails_its_source_only_with_a_located_error(
    demo: Demo, tmp_path: Path
) -> None:
    broken = tmp_path / "demo"
    subprocess.run(["cp", "-r", str(demo.out), str(broken)], check=True)
    waste_file = broken / "afval" / f"afval_{MONTH}.csv"
    content = waste_file.read_bytes()
    cut = content.rindex(b"Totaal")
    waste_file.write_bytes(content[:cut] + b"Totaal;;;;;;1,0\r\n")
    bad = Demo(broken, demo.env, demo.url, demo.token, demo.api_key)
    done = bad.run("run", "--month", str(MONTH), warehouse=tmp_path / "wh")
    assert done.returncode == 1
    flat = " ".join(done.stdout.split())
    assert f"afval_{MONTH}.csv" in flat and "line" in flat and "Totaal" in flat
    assert not (tmp_path / "wh" / "staging" / "waste_collections").exists()
    assert (tmp_path / "wh" / "staging" / "energy_readings" / f"month={MONTH}").exists()
    kept = list((tmp_path / "wh" / "raw" / "waste" / f"month={MONTH}").glob(f"*/afval_{MONTH}.csv"))
    assert [p.read_bytes() for p in kept] == [waste_file.read_bytes()]


def test_a_blocked_reference_stages_none_of_the_sources_mapped_against_it(
    demo: Demo, tmp_path: Path
) -> None:
    # mapped sources parse against the reference as parsed, before it is validated:
    # when its validation then blocks it, none of them may be staged
    broken = tmp_path / "demo"
    subprocess.run(["cp", "-r", str(demo.out), str(broken)], check=True)
    key_figures = broken / "referentie" / "kerncijfers.csv"
    rows = key_figures.read_text(encoding="utf-8").splitlines(keepends=True)
    month_row = next(i for i, row in enumerate(rows) if row.startswith(f"{MONTH};"))
    cells = rows[month_row].split(";")
    rows[month_row] = ";".join([cells[0], "0", *cells[2:]])  # no FTE: blocked by validation
    key_figures.write_text("".join(rows), encoding="utf-8")
    done = Demo(broken, demo.env, demo.url, demo.token, demo.api_key).run(
        "run", "--month", str(MONTH), warehouse=tmp_path / "wh"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    record = json.loads(next((tmp_path / "wh" / "runs").glob("*.json")).read_text())
    status = {r["source"]: r for r in record["results"]}
    assert status["reference"]["quality"] == "blocked"
    for source in ("mobility", "disposables", "medicine_waste"):
        assert status[source]["status"] == "failed"
        assert "reference data for this month failed" in status[source]["error"]
    for source in ("energy", "waste", "food_waste"):
        assert status[source]["status"] == "ok"
    staged_tables = {p.name for p in (tmp_path / "wh" / "staging").iterdir()}
    assert staged_tables.isdisjoint(
        {"organisation", "commuting", "business_travel", "disposables_issues", "medicine_waste"}
    )
    kept = pl.read_parquet(tmp_path / "wh" / "validation" / "results" / "*" / "*.parquet")
    assert set(kept["source"]) == {"reference", "energy", "waste", "food_waste"}


def test_a_source_that_is_down_is_named_with_its_url(demo: Demo, tmp_path: Path) -> None:
    env = {**demo.env, "GROENDRAAD_DEMO_URL": "http://127.0.0.1:9"}
    done = subprocess.run(
        [
            CLI,
            "run",
            "--month",
            str(MONTH),
            "--config",
            str(demo.out / "groendraad.yaml"),
            "--warehouse",
            str(tmp_path / "wh"),
            "--source",
            "energy",
            "--source",
            "waste",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    flat = " ".join(done.stdout.split())
    assert "http://127.0.0.1:9/energy" in flat
    assert demo.token not in done.stdout + done.stderr
    assert (tmp_path / "wh" / "staging" / "waste_collections" / f"month={MONTH}").exists()


def test_demo_command_gathers_and_accounts_for_every_planted_fault(tmp_path: Path) -> None:
    """`groendraad demo` on a short range, with many planted faults."""
    done = subprocess.run(
        [
            CLI,
            "demo",
            "--out",
            str(tmp_path / "hospital"),
            "--from",
            "2024-01",
            "--to",
            "2024-06",
            "--fault-rate",
            "0.3",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    planted = json.loads((tmp_path / "hospital" / "injected_faults.json").read_text())
    record = json.loads(
        next((tmp_path / "hospital" / "warehouse" / "runs").glob("*.json")).read_text()
    )
    failed = {(r["source"], r["month"]) for r in record["results"] if r["status"] != "ok"}
    assert failed, "a fault rate of 0.3 over 6 months must fail some source-months"
    assert failed <= {(f["source"], f["month"]) for f in planted}
    for result in record["results"]:
        if result["status"] != "ok":
            assert result["error"].startswith(result["source"] + ": ")
            assert "/" in result["error"] or "http" in result["error"]  # names a file or URL
    assert "Staging tables (Parquet)" in done.stdout
    site = tmp_path / "hospital" / "warehouse" / "site"
    assert (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    nfu = tmp_path / "hospital" / "nfu"
    assert list((nfu / "exports").glob("nfu-export_demo-umc_*.parquet"))
    assert (nfu / "benchmark" / "index.html").is_file()
    # the demo's own pages draw their charts in a real browser, from the file share
    division = next((site / "division").glob("*.html")).relative_to(site)
    department = next((site / "department").glob("*.html")).relative_to(site)
    for page in (
        "theme/waste.html",
        "theme/energy.html",
        "en/theme/co2e.html",
        division,
        department,
    ):
        dom = rendered_dom(site / page, tmp_path / "chromium")
        assert 'data-charts="done"' in dom, page
        charts, svgs = dom.count('data-spec="'), dom.count("<svg")
        assert charts > 0 and svgs == charts and dom.count("role-mark") >= charts, page


def rendered_dom(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran, from Debian's headless Chromium."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("no chromium (apt-get install chromium); CI installs it")
    args = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        page.as_uri(),
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout


def test_run_validates_and_publishes_metrics(demo: Demo, tmp_path: Path) -> None:
    wh = tmp_path / "wh"
    done = demo.run("run", "--month", str(MONTH), warehouse=wh)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation (Great Expectations)" in done.stdout
    results = duckdb.execute(
        "select source, count(*), bool_and(success or severity = 'warning') from read_parquet(?)"
        " group by source order by source",
        [str(wh / "validation" / "results" / "*" / "*.parquet")],
    ).fetchall()
    assert {r[0] for r in results} == {
        "reference",
        "energy",
        "waste",
        "food_waste",
        "disposables",
        "mobility",
        "medicine_waste",
    }
    assert all(r[1] > 3 and r[2] for r in results)  # checks ran; no blocking failure
    (report,) = (wh / "validation" / "reports").glob("*.html")
    assert "<script" not in report.read_text()
    # the published metrics agree with the delivered file, to the kilogram
    waste_kg, _ = independent.waste_total_kg(demo.out / "afval" / f"afval_{MONTH}.csv")
    published = duckdb.execute(
        "select value, unit, version from read_parquet(?) where metric = 'waste.total_kg'"
        " and level = 'institution' and category is null and period = ?",
        [str(wh / "marts" / "metrics_current.parquet"), MONTH.first_day],
    ).fetchone()
    assert published[0] == pytest.approx(waste_kg) and published[1] == "kg" and published[2] == 1


def test_an_unknown_eural_code_is_blocked_by_validation(demo: Demo, tmp_path: Path) -> None:
    broken = tmp_path / "demo"
    subprocess.run(["cp", "-r", str(demo.out), str(broken)], check=True)
    waste_file = broken / "afval" / f"afval_{MONTH}.csv"
    lines = waste_file.read_bytes().split(b"\r\n")
    first = lines[1].split(b";")
    first[3] = b"99 99 99"
    lines[1] = b";".join(first)
    waste_file.write_bytes(b"\r\n".join(lines))
    bad = Demo(broken, demo.env, demo.url, demo.token, demo.api_key)
    done = bad.run(
        "run",
        "--month",
        str(MONTH),
        "--source",
        "reference",
        "--source",
        "waste",
        warehouse=tmp_path / "wh",
    )
    assert done.returncode == 1
    flat = " ".join(done.stdout.split())
    assert "eural_code_known" in flat and "99 99 99" in flat and "source_line=2" in flat
    assert f"afval_{MONTH}.csv" in flat
    assert not (tmp_path / "wh" / "staging" / "waste_collections").exists()


def test_a_correction_restates_the_month_and_keeps_the_old_version(
    demo: Demo, tmp_path: Path
) -> None:
    corrected = tmp_path / "demo"
    subprocess.run(["cp", "-r", str(demo.out), str(corrected)], check=True)
    wh = tmp_path / "wh"
    first = Demo(corrected, demo.env, demo.url, demo.token, demo.api_key)
    assert first.run("run", "--month", str(MONTH), warehouse=wh).returncode == 0
    # the processor re-sends the month with 1.000 kg more on the first line and the total
    waste_file = corrected / "afval" / f"afval_{MONTH}.csv"
    text = independent.decode(waste_file.read_bytes())
    encoding = "utf-8-sig" if waste_file.read_bytes().startswith(b"\xef\xbb\xbf") else "cp1252"
    lines = text.split("\r\n")

    def bump(line: str) -> str:
        fields = line.split(";")
        weight = independent.dutch_number(fields[-1]) + 1000
        fields[-1] = f"{weight:.1f}".replace(".", ",")
        return ";".join(fields)

    lines[1] = bump(lines[1])
    total = next(i for i, line in enumerate(lines) if line.startswith("Totaal"))
    lines[total] = bump(lines[total])
    waste_file.write_bytes("\r\n".join(lines).encode(encoding))
    assert first.run("run", "--month", str(MONTH), warehouse=wh).returncode == 0

    metrics = str(wh / "marts" / "metrics" / f"period={MONTH}" / "*.parquet")
    by_version = duckdb.execute(
        "select version, value from read_parquet(?) where metric = 'waste.total_kg'"
        " and level = 'institution' and category is null order by version",
        [metrics],
    ).fetchall()
    assert len(by_version) == 2
    assert by_version[1][1] - by_version[0][1] == pytest.approx(1000)
    done = first.run("metrics", "diff", "--month", str(MONTH), warehouse=wh)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "version 1 -> 2" in done.stdout and "activity data" in done.stdout
    assert "waste" in done.stdout
