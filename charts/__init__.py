"""Chart pages for the Green Teams: a static, offline site of Altair charts.

    from groendraad.charts import render_site
    report = render_site(warehouse)            # -> <warehouse>/site/index.html

Chart builders (trend, breakdown, scoreboard) are pure functions returning
``alt.Chart``; ``site.render_site`` is the one renderer that writes pages. The pages
read only the published tables of metrics/CONTRACT.md.
"""

from groendraad.charts.site import SiteReport, render_site

__all__ = ["SiteReport", "render_site"]
