"""The rendered site: its pages, links, escaping, languages, assets and atomic writes."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from groendraad.charts import SiteReport, render_site
from groendraad.charts.site import ASSETS, slug
from groendraad.charts.swap import MARKER
from groendraad.charts.text import labels
from groendraad.charts.theme_pages import places_config, theme_config
from groendraad.metrics import load_catalogue, load_targets

from . import synthetic

THEMES = ["energy", "co2e", "waste", "food_waste", "disposables", "mobility", "medicine_waste"]


class Links(HTMLParser):
    """Collects href/src values, element ids, chart containers and JSON spec texts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.charts: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if found.get("data-spec"):
            self.charts.append(found["data-spec"] or "")
        if tag == "html":
            self.lang = found.get("lang") or ""


@functools.cache
def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_exists_in_dutch_and_english(site: SiteReport) -> None:
    expected = {"index.html", "organisation.html", "definitions.html"}
    expected |= {f"theme/{t}.html" for t in THEMES}
    expected |= {
        "division/divisie-1.html",
        "division/divisie-co.html",
        "department/kno.html",
        "department/img-src-x-onerror-alert-1.html",
    }
    for page in expected:
        assert page in site.pages and f"en/{page}" in site.pages
        assert parse(site.out / page).lang == "nl"
        assert parse(site.out / "en" / page).lang == "en"
    assert len(site.pages) == 2 * (3 + len(THEMES) + 2 + 4)
    assert site.index == site.out / "index.html"


def test_links_are_relative_and_lead_to_files_and_anchors(site: SiteReport) -> None:
    for page in site.pages:
        path = site.out / page
        for url in parse(path).urls:
            assert not re.match(r"^[a-z]+:|^//|^/", url), f"{page}: {url}"
            target, _, anchor = url.partition("#")
            resolved = (path.parent / target).resolve() if target else path
            assert resolved.is_file(), f"{page}: {url}"
            if anchor:
                assert anchor in parse(resolved).ids, f"{page}: {url}"


def test_each_chart_has_its_spec_description_table_and_definition(site: SiteReport) -> None:
    html = (site.out / "theme" / "waste.html").read_text(encoding="utf-8")
    page = parse(site.out / "theme" / "waste.html")
    assert page.charts
    for spec_id in page.charts:
        assert f'id="{spec_id}"' in html
    assert html.count('class="table-view"') >= len(page.charts)
    assert html.count('class="description"') >= len(page.charts)
    assert "definitions.html#waste.stream_kg" in html
    assert "Gegevens t/m juni 2025" in html


def test_specs_are_inline_json_with_their_data(site: SiteReport) -> None:
    html = (site.out / "department" / "kno.html").read_text(encoding="utf-8")
    specs = re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', html)
    assert specs
    for text in specs:
        spec = json.loads(text)
        assert spec["datasets"] and spec["description"]
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert "fetch(" not in (ASSETS / "site.js").read_text()


@pytest.mark.parametrize("name", [synthetic.HOSTILE, synthetic.SCRIPT_BREAK])
def test_names_from_the_data_are_escaped_everywhere(site: SiteReport, name: str) -> None:
    for page in site.pages:
        html = (site.out / page).read_text(encoding="utf-8")
        assert name not in html, page
        assert "<script>alert" not in html, page
    organisation = (site.out / "organisation.html").read_text(encoding="utf-8")
    assert name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in organisation
    page = site.out / "department" / f"{slug(name, set())}.html"
    specs = re.findall(
        r'<script type="application/json" id="[^"]+">(.*?)</script>',
        page.read_text(encoding="utf-8"),
        flags=re.S,
    )
    assert any(name in json.dumps(json.loads(s), ensure_ascii=False) for s in specs)


def test_slugs_are_safe_file_names() -> None:
    taken: set[str] = set()
    assert slug("Diëtiek/Maatschappelijk werk", taken) == "dietiek-maatschappelijk-werk"
    assert slug("../../etc", taken) == "etc"
    assert slug("Diëtiek/Maatschappelijk-werk", taken).startswith("dietiek-maatschappelijk-werk-")
    assert slug("<>", taken) == "x"


def test_the_site_is_replaced_whole(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_text("a site of ours")  # any other folder is refused (reliability)
    (out / "stale.html").write_text("old")
    report = render_site(warehouse, out)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folder left
    name, size = report.largest_page
    assert size == (out / name).stat().st_size
    files = [p for p in out.rglob("*") if p.is_file() and p.name != MARKER]
    assert report.total_bytes == sum(p.stat().st_size for p in files)


def test_an_empty_warehouse_gives_a_site_that_says_so(tmp_path: Path) -> None:
    report = render_site(tmp_path / "warehouse")
    html = report.index.read_text(encoding="utf-8")
    assert "Nog geen cijfers." in html
    assert (report.out / "definitions.html").is_file()


def test_vendored_bundles_match_their_recorded_hashes() -> None:
    notes = (ASSETS / "vendor" / "VERSIONS.md").read_text()
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        digest = hashlib.sha256((ASSETS / "vendor" / name).read_bytes()).hexdigest()
        assert f"{digest}  {name}" in notes, name
        assert (ASSETS / "vendor" / f"LICENSE-{name.removesuffix('.min.js')}.txt").is_file()


def test_every_metric_and_target_has_its_dutch_and_english_words() -> None:
    words = labels()
    for metric in load_catalogue().metrics:
        entry = words["metrics"].get(metric, {})
        assert {"nl", "en", "nl_def"} <= set(entry), metric
    for target in load_targets():
        assert "nl" in words["targets"].get(target.id, {}), target.id


def test_every_metric_on_the_pages_is_in_the_catalogue() -> None:
    catalogue = load_catalogue().metrics
    shown = [
        m
        for theme in theme_config().values()
        for f in theme["figures"]
        for m in f.get("metrics") or [f["metric"]]
    ]
    places = places_config()
    shown += places["key_figures"] + places["peers"] + places["contributors"]
    shown += [m for f in places["trends"] for m in f.get("metrics") or [f["metric"]]]
    assert set(shown) <= set(catalogue)
    assert yaml.safe_load((ASSETS.parent / "themes.yaml").read_text())["themes"].keys() == set(
        THEMES
    )


def test_pages_command_writes_the_site(warehouse: Path, tmp_path: Path) -> None:
    from groendraad.charts.command import pages

    config = tmp_path / "groendraad.yaml"
    config.write_text("institution: {id: synthetic-umc, name: Synthetisch UMC}\nsources: {}\n")
    result = CliRunner().invoke(
        pages,
        ["--config", str(config), "--warehouse", str(warehouse), "--out", str(tmp_path / "out")],
    )
    assert result.exit_code == 0, result.output
    assert "pages written" in result.output
    assert "Synthetisch UMC" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
