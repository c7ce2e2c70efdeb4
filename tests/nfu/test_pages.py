"""The benchmark pages: tables always, charts when the Vega bundles are there, in a browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from groendraad.nfu import site
from groendraad.nfu.run import run_benchmark

from .synthetic import write_synthetic

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("exports")
    return [
        write_synthetic(out, f"umc-{i}", list(range(1, 7)), size)
        for i, size in enumerate((0.7, 1.2))
    ]


def test_without_the_vega_bundles_the_pages_show_tables_only(
    exports: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site, "vendor_folder", lambda: None)
    run_benchmark(exports, tmp_path)
    compare = (tmp_path / "compare.html").read_text(encoding="utf-8")
    assert "<script" not in compare and "<table>" in compare
    assert not (tmp_path / "assets").exists()


@pytest.mark.slow
def test_the_charts_draw_in_a_real_browser(
    exports: list[Path], eric_file: Path, tmp_path: Path
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    if BROWSER is None or site.vendor_folder() is None:
        pytest.skip("no Chromium or no vendored Vega bundles on this machine")
    run_benchmark(exports, tmp_path, eric_path=eric_file)
    errors: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=BROWSER, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for name in ("compare.html", "trends.html", "peers.html"):
            page.goto((tmp_path / name).as_uri())
            page.wait_for_function(
                "document.querySelectorAll('.chart svg').length"
                " === document.querySelectorAll('.chart').length",
                timeout=15_000,
            )
            assert page.locator(".chart").count() > 0, name
        browser.close()
    assert not errors
