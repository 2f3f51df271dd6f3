"""Machine-readable outputs made from the model: park data, sitemap, robots.txt, Atom and iCalendar."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from sitegen.content.config import BEIJING
from sitegen.content.i18n import HTML_LANG, Localized, source_language
from sitegen.content.model import Event, Park, Site
from sitegen.render import urls
from sitegen.render.chains import park_chain_properties
from sitegen.spreadsheet_cells import csv_download

GEOJSON_PATH = "data/parks.geojson"
CSV_PATH = "data/parks.csv"


def _both(prefix: str, value: Localized | None) -> dict[str, str]:
    return {f"{prefix}_zh": value.zh if value else "", f"{prefix}_en": value.get("en") if value else ""}


def _park_record(site: Site, park: Park) -> dict[str, object]:
    """The facts of one park, flat and bilingual, as both downloads carry them."""
    return {
        "slug": park.slug,
        **_both("name", park.name),
        "city": park.city.id,
        **_both("city", park.city.name),
        **_both("district", park.district),
        "level": park.level or "",
        "kind": park.kind or "",
        "sectors": " ".join(sector.id for sector in park.sectors),
        "sectors_zh": "、".join(sector.name.zh for sector in park.sectors),
        "sectors_en": "; ".join(sector.name.get("en") for sector in park.sectors),
        "member": park.is_member,
        "parent": park.parent or "",
        **_both("operator", park.operator),
        **_both("summary", park.summary),
        "established": park.established or "",
        "area_km2": park.area_km2 or "",
        "website": park.website or "",
        "url_zh": urls.download_url(site.config, "zh", "park", park.slug),
        "url_en": urls.download_url(site.config, "en", "park", park.slug),
    }


def parks_geojson(site: Site) -> bytes:
    """RFC 7946 FeatureCollection; coordinates are WGS-84 as stored, [lon, lat]."""
    features = [
        {
            "type": "Feature",
            "id": park.slug,
            "geometry": {"type": "Point", "coordinates": [park.lon, park.lat]},
            "properties": {
                **_park_record(site, park),
                "sectors": [sector.id for sector in park.sectors],
                "chains": park_chain_properties(site, park.slug),
            },
        }
        for park in site.parks
    ]
    collection = {"type": "FeatureCollection", "features": features}
    # allow_nan=False: NaN and Infinity are not JSON; the schema lets no such number through.
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text + "\n").encode("utf-8")


def parks_csv(site: Site) -> bytes:
    """One row per park, with its coordinates."""
    rows = [_park_record(site, park) | {"lat": park.lat, "lon": park.lon} for park in site.parks]
    return csv_download(list(rows[0]) if rows else [], rows)


def sitemap(site: Site, page_paths: Iterable[tuple[str, str | None]]) -> bytes:
    """Every page in every language, each listing its language alternates."""
    from xml.sax.saxutils import escape, quoteattr  # it imports urllib, http and ssl: only when written

    base = site.config.base_url
    entries = []
    for kind, slug in page_paths:
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{HTML_LANG[lang]}" '
            f"href={quoteattr(urls.absolute(base, urls.page_path(lang, kind, slug)))}/>"
            for lang in site.config.languages
        )
        for lang in site.config.languages:
            location = escape(urls.absolute(base, urls.page_path(lang, kind, slug)))
            entries.append(f"<url><loc>{location}</loc>{alternates}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n"
    ).encode("utf-8")


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n".encode()


def _event_url(site: Site, event: Event, lang: str) -> str:
    return urls.absolute(site.config.base_url, urls.page_path(lang, "event", event.slug))


def _beijing(day: dt.date, time: dt.time | None = None) -> str:
    moment = dt.datetime.combine(day, time or dt.time(0, 0), BEIJING)
    return moment.isoformat()


def events_atom(site: Site, lang: str) -> bytes:
    """An Atom feed of the events in one language, newest first; dates are Beijing time."""
    from xml.sax.saxutils import escape, quoteattr  # it imports urllib, http and ssl: only when written

    source = source_language(lang)
    events = sorted(site.events, key=lambda event: (event.date, event.slug), reverse=True)
    feed_url = urls.absolute(site.config.base_url, urls.page_path(lang, "events") + "feed.xml")
    updated = _beijing(events[0].date) if events else "2000-01-01T00:00:00+08:00"
    entries = []
    for event in events:
        url = _event_url(site, event, lang)
        summary = f"<summary>{escape(event.summary.get(source))}</summary>" if event.summary else ""
        entries.append(
            f"<entry><id>{escape(url)}</id><title>{escape(event.title.get(source))}</title>"
            f"<updated>{_beijing(event.date, event.time)}</updated>"
            f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>{summary}</entry>'
        )
    title = f"{site.config.title.get(source)} · {_FEED_TITLE[source]}"
    events_page = urls.absolute(site.config.base_url, urls.page_path(lang, "events"))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{HTML_LANG[lang]}">\n'
        f"<id>{escape(feed_url)}</id><title>{escape(title)}</title><updated>{updated}</updated>\n"
        f'<link rel="self" href={quoteattr(feed_url)}/>'
        f'<link rel="alternate" type="text/html" href={quoteattr(events_page)}/>\n'
        f"<author><name>{escape(site.config.title.get(source))}</name></author>\n" + "\n".join(entries) + "\n</feed>\n"
    ).encode("utf-8")


_FEED_TITLE = {"zh": "活动", "en": "Events"}

_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "X-LIC-LOCATION:Asia/Shanghai",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "DTSTART:19700101T000000",
    "END:STANDARD",
    "END:VTIMEZONE",
)
"""China has kept UTC+8 without daylight saving since 1991, so one STANDARD rule is exact."""


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 folds lines longer than 75 octets, without splitting a UTF-8 character."""
    folded: list[str] = []
    current = ""
    for character in line:
        limit = 75 if not folded else 74
        if len((current + character).encode("utf-8")) > limit:
            folded.append(current)
            current = character
        else:
            current += character
    folded.append(current)
    return [folded[0]] + [" " + part for part in folded[1:]]


def _vevent(site: Site, event: Event) -> list[str]:
    host = site.config.base_url.split("://", 1)[-1].split("/", 1)[0]
    if event.time:
        start = f"DTSTART;TZID=Asia/Shanghai:{event.date:%Y%m%d}T{event.time:%H%M%S}"
        end_time = event.end_time or event.time
        end = f"DTEND;TZID=Asia/Shanghai:{event.last_day:%Y%m%d}T{end_time:%H%M%S}"
    else:
        start = f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}"
        end = f"DTEND;VALUE=DATE:{event.last_day + dt.timedelta(days=1):%Y%m%d}"
    title = event.title.zh if event.title.en is None else f"{event.title.zh} / {event.title.en}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.slug}@{host}",
        # The feed is rebuilt from content, so the event's own day is its stable timestamp.
        f"DTSTAMP:{event.date:%Y%m%d}T000000Z",
        start,
        end,
        f"SUMMARY:{_ics_text(title)}",
        f"URL:{_event_url(site, event, 'zh')}",
    ]
    location = ", ".join(
        part for part in (event.venue.zh if event.venue else "", event.city.name.zh if event.city else "") if part
    )
    if location:
        lines.append(f"LOCATION:{_ics_text(location)}")
    if event.summary:
        lines.append(f"DESCRIPTION:{_ics_text(event.summary.zh)}")
    lines.append("END:VEVENT")
    return lines


def calendar(site: Site, events: Iterable[Event]) -> bytes:
    """An iCalendar file (RFC 5545) of `events`, with CRLF line ends and folded lines."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//sitegen//{_ics_text(site.config.title.get('en'))}//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(site.config.title.zh)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        *_VTIMEZONE,
    ]
    for event in events:
        lines += _vevent(site, event)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n").encode("utf-8")


def _json_ld_script(data: dict[str, object]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return '<script type="application/ld+json">' + text.replace("<", "\\u003c") + "</script>"


def park_json_ld(site: Site, park: Park, lang: str) -> str:
    """schema.org Place with coordinates and address, so search engines can place the park."""
    source = source_language(lang)
    address: dict[str, object] = {
        "@type": "PostalAddress",
        "addressCountry": "CN",
        "addressRegion": "山东省" if source == "zh" else "Shandong",
        "addressLocality": park.city.name.get(source),
    }
    if park.contact and park.contact.address:
        address["streetAddress"] = park.contact.address.get(source)
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Place",
        "name": park.name.get(source),
        "url": urls.absolute(site.config.base_url, urls.page_path(lang, "park", park.slug)),
        "geo": {"@type": "GeoCoordinates", "latitude": park.lat, "longitude": park.lon},
        "address": address,
    }
    if park.summary:
        data["description"] = park.summary.get(source)
    if park.website:
        data["sameAs"] = park.website
    if park.contact and park.contact.phone:
        data["telephone"] = park.contact.phone
    return _json_ld_script(data)


def event_json_ld(site: Site, event: Event, lang: str) -> str:
    """schema.org Event: name, Beijing-time dates, and where it happens."""
    source = source_language(lang)
    address = {"@type": "PostalAddress", "addressCountry": "CN"}
    if event.city:
        address["addressLocality"] = event.city.name.get(source)
    place: dict[str, object] = {"@type": "Place", "address": address}
    if event.venue:
        place["name"] = event.venue.get(source)
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title.get(source),
        "url": _event_url(site, event, lang),
        "startDate": _beijing(event.date, event.time) if event.time else event.date.isoformat(),
        "endDate": (
            _beijing(event.last_day, event.end_time or event.time) if event.time else event.last_day.isoformat()
        ),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {"@type": "Organization", "name": site.config.title.get(source), "url": site.config.base_url},
    }
    if event.summary:
        data["description"] = event.summary.get(source)
    return _json_ld_script(data)
