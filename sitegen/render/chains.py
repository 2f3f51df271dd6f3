"""Chains and projects for readers: amounts in each language, sourced totals, link colours, downloads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sitegen.content.fields import PartialDate
from sitegen.content.i18n import Localized
from sitegen.content.model import Chain, Citation, Project, Site
from sitegen.render import urls
from sitegen.spreadsheet_cells import csv_download

CHAINS_JSON_PATH = "data/chains.json"
PROJECTS_CSV_PATH = "data/projects.csv"

LINK_COLOURS = ("#0868ac", "#c2410c", "#047857", "#a21caf", "#854d0e", "#be123c", "#1e3a8a", "#3f6212")
"""Marker colours for the links of one chain, in tier order: dark enough for white text and a
white marker border, and told apart by hue; beyond eight, colours repeat and the legend tells."""


def link_colours(chain: Chain) -> dict[str, str]:
    return {link.id: LINK_COLOURS[index % len(LINK_COLOURS)] for index, link in enumerate(chain.links)}


def format_amount(amount: float, lang: str) -> str:
    """亿元 as written in Chinese; in English in billions or millions of yuan (1亿 = 100 million)."""
    value = Decimal(str(amount))
    if lang != "en":
        return f"{_plain(value)}亿元"
    if value >= 10:
        return f"{_plain(value / 10)} billion yuan"
    return f"{_plain(value * 100)} million yuan"


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros, thousands grouped: 26.592, 1,500."""
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}" if abs(int(whole)) >= 10000 else whole
    return grouped + ("." + fraction if fraction else "")


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names: dates are formatted by our code, never by the machine's locale."""


def format_partial_date(value: PartialDate, lang: str) -> str:
    if lang != "en":
        return f"{value.year}年" + (f"{value.month}月" if value.month else "") + (f"{value.day}日" if value.day else "")
    parts = [str(value.day)] if value.day else []
    parts += [MONTHS[value.month - 1]] if value.month else []
    return " ".join([*parts, str(value.year)])


@dataclass(frozen=True)
class Totals:
    """What a list of projects adds up to; a project without a stated amount is counted apart,
    never as zero."""

    projects: int
    with_amount: int
    amount: Decimal

    @property
    def without_amount(self) -> int:
        return self.projects - self.with_amount


def totals(projects: Iterable[Project]) -> Totals:
    projects = list(projects)
    stated = [Decimal(str(project.investment)) for project in projects if project.investment is not None]
    return Totals(len(projects), len(stated), sum(stated, Decimal(0)))


def _both(value: Localized | None) -> dict[str, str]:
    return {"zh": value.zh, "en": value.get("en")} if value is not None else {}


def _citation(citation: Citation) -> dict[str, object]:
    return {"publication": _both(citation.publication), "date": str(citation.date) if citation.date else None}


def chains_json(site: Site) -> bytes:
    """Every chain with its tiers, links, enterprises, parks and projects, for reuse elsewhere."""
    chains = []
    for chain in site.chains:
        chains.append(
            {
                "slug": chain.slug,
                "name": _both(chain.name),
                "summary": _both(chain.summary) or None,
                "sectors": [sector.id for sector in chain.sectors],
                "url_zh": urls.download_url(site.config, "zh", "chain", chain.slug),
                "url_en": urls.download_url(site.config, "en", "chain", chain.slug),
                "tiers": [
                    {
                        "id": tier.id,
                        "name": _both(tier.name),
                        "links": [
                            {
                                "id": link.id,
                                "name": _both(link.name),
                                "description": _both(link.description) or None,
                                "enterprises": [
                                    {"name": _both(enterprise.name), "leading": enterprise.leading}
                                    for enterprise in link.enterprises
                                ],
                                "parks": list(link.parks),
                                "gap": link.is_gap,
                                "sought": _both(link.sought) or None,
                                "projects": [
                                    project.slug for project in site.projects_of_chain(chain) if project.link == link.id
                                ],
                            }
                            for link in tier.links
                        ],
                    }
                    for tier in chain.tiers
                ],
                "sources": [_citation(citation) for citation in chain.sources],
            }
        )
    return (json.dumps({"chains": chains}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


PROJECT_COLUMNS = (
    "slug",
    "name_zh",
    "name_en",
    "investor_zh",
    "investor_en",
    "park",
    "city",
    "district_zh",
    "district_en",
    "sector",
    "chain",
    "link",
    "investment_yi_yuan",
    "stage",
    "signed",
    "construction",
    "production",
    "summary_zh",
    "summary_en",
    "source_zh",
    "source_en",
    "source_date",
)


def project_row(project: Project) -> dict[str, object]:
    """One project, flat and bilingual; an amount not stated is an empty cell, never 0."""

    def both(name: str, value: Localized | None) -> dict[str, str]:
        return {f"{name}_zh": value.zh if value else "", f"{name}_en": value.get("en") if value else ""}

    dates = project.dates
    return {
        "slug": project.slug,
        **both("name", project.name),
        **both("investor", project.investor),
        "park": project.park or "",
        "city": project.city.id,
        **both("district", project.district),
        "sector": project.sector.id if project.sector else "",
        "chain": project.chain or "",
        "link": project.link or "",
        "investment_yi_yuan": "" if project.investment is None else project.investment,
        "stage": project.stage,
        "signed": str(dates.signed or ""),
        "construction": str(dates.construction or ""),
        "production": str(dates.production or ""),
        **both("summary", project.summary),
        **both("source", project.source.publication),
        "source_date": str(project.source.date or ""),
    }


def projects_csv(site: Site) -> bytes:
    """One row per project; unknown amounts stay empty, never zero."""
    return csv_download(PROJECT_COLUMNS, (project_row(project) for project in site.projects))


def park_chain_properties(site: Site, park_slug: str) -> list[dict[str, object]]:
    """The chains and links a park hosts, for the park's GeoJSON properties."""
    return [
        {"chain": chain.slug, "links": [link.id for link in chain.links if park_slug in link.parks]}
        for chain in site.chains_of_park(site.park(park_slug))
    ]
