"""``groendraad pages``: write the Green Teams' chart pages from the published figures."""

from __future__ import annotations

from pathlib import Path

import click

from groendraad.cli import _load, console, warehouse_options


@click.command("pages")
@warehouse_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the site [default: site/ in the warehouse].",
)
def pages(config_path: Path, warehouse: Path | None, out: Path | None) -> None:
    """Write the chart pages (Dutch, with English under en/) from the published figures.

    The site is static and self-contained: open index.html from a file share or serve
    the folder with any web server; it loads nothing from outside itself. --out must
    be a new or empty folder, or one holding a site written here: nothing else is
    ever replaced.
    """
    from groendraad.charts.site import render_site
    from groendraad.steps import exclusive

    config, root = _load(config_path, warehouse)
    with exclusive(root, console.print):  # never beside a run writing the warehouse
        report = render_site(root, out, institution_name=config.institution_name)
    name, size = report.largest_page
    console.print(
        f"{len(report.pages)} pages written in {report.seconds:.1f} s: "
        f"{report.total_bytes / 1e6:.1f} MB in all, of which {report.asset_bytes / 1e6:.1f} MB "
        f"shared scripts; largest page {name} ({size / 1e3:.0f} kB)"
    )
    console.print(f"Open {report.index}")
