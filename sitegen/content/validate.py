"""Checking entries against the schemas and each other (ids, slugs, coordinates), then building
the frozen model from what passed."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from sitegen import geo
from sitegen.content.body_links import (
    SitePages,
    check_addresses,
    check_characters,
    in_media,
    lines_with_images_missing_alt,
)
from sitegen.content.config import SiteConfig, costs, landing_process
from sitegen.content.duplicates import warn_duplicate_parks
from sitegen.content.fields import INVALID, Where, closest
from sitegen.content.files import media_files
from sitegen.content.frontmatter import Document, Mapping
from sitegen.content.i18n import Localized
from sitegen.content.investment_checks import build_policy, build_premises, check_city_costs, warn_of_old_costs
from sitegen.content.model import (
    Body,
    Chain,
    Citation,
    Contact,
    Enterprise,
    Event,
    Figure,
    Link,
    Membership,
    Page,
    Park,
    Policy,
    Premises,
    Project,
    Site,
    StageDates,
    Tier,
)
from sitegen.content.placeholders import english_body, placeholder_lines, without_placeholders
from sitegen.content.schema import STAGE_DATES, Schemas, build_schemas, english_override
from sitegen.content.sources import Source, report_dangling, slugs_on_disk
from sitegen.content.translation import warn_fields_only_in_chinese
from sitegen.errors import Problem, Problems, zh_en

T = TypeVar("T")


class EntryChecks:
    """Schema checks kept between runs: an entry is checked again only when one of its files
    was read again (the document cache hands back the same objects otherwise), the sector and
    city vocabularies changed or English was added to the site's languages or taken away. The
    parks, sites and policies built from them are kept too. The preview keeps one in memory;
    `build` keeps it on disk together with its document cache, so the objects stay the same."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[Source, tuple, dict[str, Any] | None, list[Problem]]] = {}
        self._built: dict[str, tuple[dict[str, Any], tuple, Park | None, list[Problem]]] = {}
        self._parks: dict[str, Park] = {}
        self._made: dict[tuple[str, str], tuple[dict[str, Any], tuple, object, list[Problem]]] = {}
        self._collections: dict[str, tuple[tuple, list[dict[str, Any]], list, list[Problem]]] = {}
        self._checked: dict[str, tuple[tuple, list[Source], list[dict[str, Any] | None], list[Problem]]] = {}
        self._named: tuple = ()
        self._duplicates: tuple[tuple, list[Problem]] | None = None
        self._seen: set[tuple[str, str]] = set()
        self.digests: dict[tuple[str, str], tuple[object, tuple[str, ...]]] = {}
        """The plan's digests of the entries made here (sitegen.publish.plan.Digests), kept with
        them, so that the next build, which gets the same objects back, does not digest them."""
        self.changed = False
        """Whether anything was checked or built again since this object was made or kept."""

    def forget_unseen(self) -> None:
        """Drop what belongs to entries no run has checked since the last call: deleted files.
        The whole collections go too: kept for another process, which reads its sources anew,
        they would only keep old documents alive."""
        self._checked, self._collections = {}, {}
        seen, self._seen = self._seen, set()
        self._entries = {key: value for key, value in self._entries.items() if key in seen}
        self._made = {key: value for key, value in self._made.items() if key in seen}
        parks = {slug for collection, slug in seen if collection == "parks"}
        self._built = {slug: value for slug, value in self._built.items() if slug in parks}
        self._parks = {slug: value for slug, value in self._parks.items() if slug in parks}
        self.changed = False

    def check_collection(
        self, sources: list[Source], schemas: Schemas, vocabulary: tuple, in_english: bool, problems: Problems
    ) -> list[dict[str, Any] | None]:
        """`check` for each entry of one collection; the last run's results when the sources
        are the very objects of the last run (the document cache keeps a collection whole
        while no file in its folder was saved) and the vocabularies and languages are as they
        were: at 5,000 sites, asking each one cost 10 ms a run."""
        collection = sources[0].collection if sources else ""
        settings = (vocabulary, in_english)
        kept = self._checked.get(collection)
        if kept is not None and kept[0] == settings and _same_objects(kept[1], sources):
            self._seen.update((source.collection, source.slug) for source in sources)
            problems.items.extend(kept[3])
            return kept[2]
        found = Problems()
        checked = [self.check(source, schemas, vocabulary, in_english, found) for source in sources]
        self._checked[collection] = (settings, sources, checked, found.items)
        problems.items.extend(found.items)
        return checked

    def check(
        self, source: Source, schemas: Schemas, vocabulary: tuple, in_english: bool, problems: Problems
    ) -> dict[str, Any] | None:
        key = (source.collection, source.slug)
        self._seen.add(key)
        cached = self._entries.get(key)
        settings = (vocabulary, in_english)
        if cached is None or cached[0].zh is not source.zh or cached[0].en is not source.en or cached[1] != settings:
            found = Problems()
            cached = (source, settings, _check_entry(source, schemas, in_english, found), found.items)
            self._entries[key] = cached
            self.changed = True
        problems.items.extend(cached[3])
        return cached[2]

    def park(
        self, source: Source, fields: dict[str, Any], config: SiteConfig, media: dict[str, Path], problems: Problems
    ) -> Park | None:
        """`_park`, built again only when the checked fields changed or what they name did: the
        city and sectors as configured, and whether the cover image is there."""
        cover = fields.get("cover")
        named = (
            config.cities[fields["city"]],
            [config.sectors[sector] for sector in fields["sectors"]],
            cover is not None and in_media(cover, media),
        )
        built = self._built.get(source.slug)
        if built is None or built[0] is not fields or built[1] != named:
            found = Problems()
            built = (fields, named, _park(source, fields, config, media, found), found.items)
            self._built[source.slug] = built
            self.changed = True
        problems.items.extend(built[3])
        return built[2]

    def named(
        self, config: SiteConfig, parks: set[str], chains: set[str], media: dict[str, Path], today: dt.date
    ) -> tuple:
        """What entries are checked against: the tuple of the last run if equal, which `made`
        then compares by identity, once per run rather than once per entry. Equal settings
        read by another process keep what it made (`build` keeps this object on disk)."""
        named = (config, parks, chains, media, today)
        if self._named != named:
            self._named = named
        return self._named

    def made(
        self,
        source: Source,
        fields: dict[str, Any],
        depends: tuple,
        build: Callable[[Problems], T],
        problems: Problems,
    ) -> T:
        """An event, chain, project, site or policy `build` made, made again only when its
        checked fields changed or one of the objects it `depends` on is not the last run's: what
        it is checked against (`named`), the park or chain it shows. Kept, its object stays the
        same, so the plan digests it no more and the renderer's snippets hold."""
        key = (source.collection, source.slug)
        kept = self._made.get(key)
        if kept is None or kept[0] is not fields or not _same_objects(kept[1], depends):
            found = Problems()
            kept = (fields, depends, build(found), found.items)
            self._made[key] = kept
            self.changed = True
        problems.items.extend(kept[3])
        return cast(T, kept[2])  # made by a `build` of the same kind for this key

    def made_collection(
        self,
        collection: str,
        entries: list[tuple[Source, dict[str, Any]]],
        named: tuple,
        build: Callable[[Source, dict[str, Any], Problems], T],
        problems: Problems,
    ) -> list[T]:
        """`made` for each entry of a collection whose objects depend on nothing but `named`;
        the last run's list when `named` and every entry's checked fields are the same objects,
        as after a save of a park or of another collection (at 5,000 sites, 15 ms a run)."""
        fields = [entry[1] for entry in entries]
        kept = self._collections.get(collection)
        if kept is not None and kept[0] is named and _same_objects(kept[1], fields):
            problems.items.extend(kept[3])
            return cast(list[T], kept[2])
        found = Problems()
        made = [
            self.made(source, checked, (named,), partial(build, source, checked), found) for source, checked in entries
        ]
        self._collections[collection] = (named, fields, made, found.items)
        problems.items.extend(found.items)
        return made

    def warn_duplicate_parks(self, parks: list[Park], name_lines: dict[str, int], problems: Problems) -> None:
        """`warn_duplicate_parks`, worked out again only when a park's name, place, parent or
        file changed, or a line its warning names."""
        compared = (
            name_lines,
            [(park.slug, park.name, park.lat, park.lon, park.parent, park.source_path) for park in parks],
        )
        if self._duplicates is None or self._duplicates[0] != compared:
            found = Problems()
            warn_duplicate_parks(parks, name_lines, found)
            self._duplicates = (compared, found.items)
            self.changed = True
        problems.items.extend(self._duplicates[1])

    def same_park(self, park: Park) -> Park:
        """The Park object of the last build if nothing about the park changed, else `park`:
        the renderer keeps each park's snippets by identity, far quicker to check than equality."""
        last = self._parks.get(park.slug)
        if last is not None and last == park:
            return last
        self._parks[park.slug] = park
        self.changed = True
        return park


def _same_objects(kept: Sequence[object], now: Sequence[object]) -> bool:
    return len(kept) == len(now) and all(old is new for old, new in zip(kept, now, strict=True))


def validate_site(
    root: Path,
    sources: list[Source],
    config: SiteConfig,
    today: dt.date,
    problems: Problems,
    checks: EntryChecks | None = None,
    pages: SitePages | None = None,
) -> Site:
    """Check every entry and build the Site from those that pass; all problems go to `problems`.
    `pages`, every page of the site, lets links to pages in bodies be checked."""
    schemas = build_schemas(lambda: config.sectors, lambda: config.cities)
    in_english = "en" in config.languages
    if checks is None:
        checked = [(source, _check_entry(source, schemas, in_english, problems)) for source in sources]
    else:
        vocabulary = (tuple(config.sectors), tuple(config.cities))
        checked = []
        for _, group in itertools.groupby(sources, key=lambda source: source.collection):
            of = list(group)
            checked += zip(of, checks.check_collection(of, schemas, vocabulary, in_english, problems), strict=True)
    valid = [(source, fields) for source, fields in checked if fields is not None]
    park_sources = {source.slug: (source, fields) for source, fields in valid if source.collection == "parks"}
    # Every park file counts as existing for cross-references, even one with its own errors,
    # so a mistake in one park is reported once and not again by each entry that names it.
    park_slugs = slugs_on_disk(root, "parks")

    media = media_files(root, problems)
    for source in sources:
        for document in (source.zh, source.en):
            if document is not None:
                check_addresses(document, media, pages, problems)
    build_park = _park if checks is None else checks.park
    built = [build_park(source, fields, config, media, problems) for source, fields in park_sources.values()]
    parks = [park for park in built if park is not None]
    _check_parents(parks, park_sources, park_slugs, problems)
    children: dict[str, list[str]] = {}
    for park in parks:
        if park.parent:
            children.setdefault(park.parent, []).append(park.slug)
    parks = [_with_children(park, tuple(sorted(children.get(park.slug, ())))) for park in parks]
    if checks is not None:
        parks = [checks.same_park(park) for park in parks]
    name_lines = {slug: source.front_matter.line_of("name") for slug, (source, _) in park_sources.items()}
    (checks.warn_duplicate_parks if checks is not None else warn_duplicate_parks)(parks, name_lines, problems)

    chain_slugs = slugs_on_disk(root, "chains")
    named = checks.named(config, park_slugs, chain_slugs, media, today) if checks is not None else ()

    def made(source: Source, fields: dict[str, Any], depends: tuple, build: Callable[[Problems], T]) -> T:
        return build(problems) if checks is None else checks.made(source, fields, depends, build, problems)

    entries: dict[str, list[tuple[Source, dict[str, Any]]]] = {}
    for entry in valid:
        entries.setdefault(entry[0].collection, []).append(entry)

    def made_all(collection: str, build: Callable[[Source, dict[str, Any], Problems], T]) -> list[T]:
        """The entries of a collection whose objects depend on nothing but what `named` holds."""
        of = entries.get(collection, [])
        if checks is None:
            return [build(source, fields, problems) for source, fields in of]
        return checks.made_collection(collection, of, named, build, problems)

    events = made_all("events", lambda source, fields, found: _event(source, fields, config, park_slugs, found))
    free_pages = [_page(source, fields) for source, fields in entries.get("pages", [])]
    chains = made_all("chains", lambda source, fields, found: _chain(source, fields, config, park_slugs, found))
    known_chains = {chain.slug: chain for chain in chains if chain is not None}
    parks_by_slug = {park.slug: park for park in parks}
    projects = [
        made(
            source,
            fields,
            (named, parks_by_slug.get(fields.get("park", "")), known_chains.get(fields.get("chain", ""))),
            partial(_project, source, fields, config, parks_by_slug, park_slugs, known_chains, chain_slugs),
        )
        for source, fields in entries.get("projects", [])
    ]
    premises = made_all(
        "sites", lambda source, fields, found: _premises(source, fields, park_slugs, media, today, found)
    )
    policies = made_all("policies", lambda source, fields, found: _policy(source, fields, park_slugs, today, found))
    _warn_of_old_costs(valid, config, today, problems)
    return Site(
        config=config,
        parks=tuple(sorted(parks, key=lambda park: park.slug)),
        events=tuple(sorted((event for event in events if event), key=lambda event: (event.date, event.slug))),
        pages=tuple(sorted(free_pages, key=lambda page: page.slug)),
        today=today,
        media=media,
        chains=tuple(sorted(known_chains.values(), key=lambda chain: chain.slug)),
        projects=tuple(sorted((project for project in projects if project), key=lambda project: project.slug)),
        premises=tuple(sorted((item for item in premises if item), key=lambda premises: premises.slug)),
        policies=tuple(sorted((policy for policy in policies if policy), key=lambda policy: policy.slug)),
    )


def _warn_of_old_costs(
    valid: list[tuple[Source, dict[str, Any]]], config: SiteConfig, today: dt.date, problems: Problems
) -> None:
    """Costs older than two years, the cities' and the parks'."""
    check_city_costs(config, today, problems)
    for source, fields in valid:
        if source.collection == "parks" and fields.get("costs"):
            warn_of_old_costs(
                costs(fields["costs"]), source.zh.path, source.front_matter.line_of("costs"), today, problems
            )


def _premises(
    source: Source,
    fields: dict[str, Any],
    park_slugs: set[str],
    media: dict[str, Path],
    today: dt.date,
    problems: Problems,
) -> Premises | None:
    return build_premises(source, fields, _body(source), park_slugs, media, today, problems)


def _policy(
    source: Source, fields: dict[str, Any], park_slugs: set[str], today: dt.date, problems: Problems
) -> Policy | None:
    return build_policy(source, fields, _body(source), park_slugs, today, problems)


def _check_entry(source: Source, schemas: Schemas, in_english: bool, problems: Problems) -> dict[str, Any] | None:
    """The Chinese file's fields merged with the English overrides, or None if anything failed.
    Unless the site is published `in_english`, no English text is asked for."""
    meta = source.front_matter
    fields = schemas.for_collection(source.collection).check(meta, Where(source.zh.path, meta.line, "", problems))
    english: dict[str, Any] = {}
    if source.en is not None and source.en.meta:
        english = english_override(source.collection).check(
            source.en.meta, Where(source.en.path, source.en.meta.line, "", problems)
        )
    _check_body(source.zh, problems)
    if in_english:
        warn_fields_only_in_chinese(source, schemas.for_collection(source.collection), problems)
    if source.collection == "projects":
        if source.en is not None:
            problems.warning(
                source.en.path,
                None,
                zh_en(
                    "项目没有正文，这个英文文件不会被用到",
                    "projects have no body text, so this English file is not used",
                ),
                zh_en(
                    "英文写在中文文件的 {zh: …, en: …} 里，然后删除这个文件",
                    "write the English in the {zh: …, en: …} fields of the Chinese file and delete this one",
                ),
            )
    elif source.en is not None:
        _check_body(source.en, problems)
    elif in_english and source.needs_english_body:
        problems.warning(
            source.zh.path,
            None,
            zh_en("还没有英文正文", "there is no English text yet"),
            zh_en(
                f"新建 {source.zh.path[:-3]}.en.md 写英文正文；英文页面暂时显示“正在翻译”",
                f"create {source.zh.path[:-3]}.en.md with the English text;"
                " until then the English page says it is in preparation",
            ),
        )
    if fields is INVALID:
        return None
    # A bad English file is reported, and the Chinese facts are still checked against the rest.
    if english is not INVALID and source.en is not None and source.en.meta is not None:
        _override_in_english(fields, english, source.en.path, source.en.meta, source.zh.path, problems)
    return fields


def _override_in_english(
    fields: dict[str, Any], english: dict[str, Any], path: str, meta: Mapping, zh_path: str, problems: Problems
) -> None:
    """The English file's short fields replace the English half of the Chinese file's."""
    for key, text in english.items():
        original = fields.get(key)
        if original is None:
            problems.error(
                path,
                meta.line_of(key),
                zh_en(
                    f"中文文件里没有 '{key}'，英文文件不能单独写它",
                    f"'{key}' is not in the Chinese file, so English cannot override it",
                ),
                zh_en(
                    f"先在 {zh_path} 里写 {key}: {{zh: …, en: …}}",
                    f"write {key}: {{zh: …, en: …}} in {zh_path} first",
                ),
            )
            continue
        fields[key] = Localized(original.zh, text)


def _check_body(document: Document, problems: Problems) -> None:
    """Characters, images and skeleton placeholders of a body; its addresses are checked once
    the media files are known."""
    check_characters(document, problems)
    for line in placeholder_lines(document.body):
        problems.warning(
            document.path,
            document.body_line + line - 1,
            zh_en(
                "这一行是 sitegen new 写的占位文字，还没有换成正文，会原样发布",
                "this line is the placeholder sitegen new wrote, not yet replaced by the real text",
            ),
            zh_en(
                "把这一行换成真正的介绍；还没写好就删掉它（英文文件没有正文时，英文页面注明“正在翻译”）",
                "replace the line with the real text, or delete it until it is written (an English file"
                " without a body makes the English page say the text is in preparation)",
            ),
        )
    for line in lines_with_images_missing_alt(document.body):
        problems.warning(
            document.path,
            document.body_line + line - 1,
            zh_en("图片缺少说明文字 (alt)", "an image has no alt text"),
            zh_en(
                "在 ![ ] 的方括号里写上图片内容，例如 ![园区大门](media/gate.jpg)",
                "describe the image inside ![ ], e.g. ![Park gate](media/gate.jpg)",
            ),
        )


def _body(source: Source) -> Body:
    """The bodies without skeleton placeholders (reported by `_check_body`): the English page of
    an English file holding nothing else says its text is in preparation."""
    return Body(
        zh=without_placeholders(source.zh.body),
        en=english_body(source.en),
        zh_line=source.zh.body_line,
    )


def _park(source: Source, fields: dict, config: SiteConfig, media: dict[str, Path], problems: Problems) -> Park | None:
    meta = source.front_matter
    location = fields["location"]
    crs = location.get("crs", "wgs84")
    lat, lon = geo.to_wgs84(location["lat"], location["lon"], crs)
    line = meta["location"].line_of("lat") if hasattr(meta["location"], "line_of") else meta.line_of("location")
    if not geo.SHANDONG.contains(lat, lon):
        swapped = geo.SHANDONG.contains(location["lon"], location["lat"])
        problems.error(
            source.zh.path,
            line,
            zh_en(
                f"坐标 ({location['lat']}, {location['lon']}) 不在山东省内",
                f"the location ({location['lat']}, {location['lon']}) is outside Shandong",
            ),
            zh_en("lat 和 lon 好像写反了，请对调", "lat and lon look swapped; exchange them")
            if swapped
            else zh_en(
                "山东的纬度 lat 约 34.3–38.5，经度 lon 约 114.7–122.8",
                "Shandong lies at lat 34.3–38.5 and lon 114.7–122.8",
            ),
        )
        return None
    cover = fields.get("cover")
    if cover:
        if not in_media(cover, media):
            problems.error(
                source.zh.path,
                meta.line_of("cover"),
                zh_en(f"找不到封面图片 content/{cover}", f"the cover image content/{cover} does not exist"),
                zh_en(
                    "把图片放进 content/media/，写成 cover: media/文件名.jpg",
                    "put the image in content/media/ and write cover: media/name.jpg",
                ),
            )
        if "cover_alt" not in fields:
            problems.error(
                source.zh.path,
                meta.line_of("cover"),
                zh_en("封面图片缺少说明文字 cover_alt", "the cover image has no cover_alt text"),
                zh_en(
                    "加上 cover_alt: {zh: 图片内容, en: what it shows}",
                    "add cover_alt: {zh: 图片内容, en: what it shows}",
                ),
            )
    alliance = fields.get("alliance")
    contact = fields.get("contact")
    return Park(
        slug=source.slug,
        name=fields["name"],
        city=config.cities[fields["city"]],
        lat=round(lat, 6),
        lon=round(lon, 6),
        sectors=tuple(config.sectors[sector] for sector in dict.fromkeys(fields["sectors"])),
        body=_body(source),
        source_path=source.zh.path,
        level=fields.get("level"),
        kind=fields.get("kind"),
        parent=fields.get("parent"),
        membership=Membership(**alliance) if alliance else None,
        district=fields.get("district"),
        operator=fields.get("operator"),
        summary=fields.get("summary"),
        established=fields.get("established"),
        area_km2=fields.get("area_km2"),
        website=fields.get("website"),
        contact=Contact(**contact) if contact else None,
        key_enterprises=fields.get("key_enterprises", ()),
        figures=tuple(Figure(**{"unit": None, **figure}) for figure in fields.get("figures", ())),
        cover=cover,
        cover_alt=fields.get("cover_alt"),
        updated=fields.get("updated"),
        costs=costs(fields.get("costs", ())),
        landing=landing_process(fields["landing"]) if "landing" in fields else None,
    )


def _check_parents(parks: list[Park], park_sources: dict, slugs: set[str], problems: Problems) -> None:
    parents = {park.slug: park.parent for park in parks if park.parent}
    for park in parks:
        if not park.parent:
            continue
        meta = park_sources[park.slug][0].front_matter
        if park.parent not in slugs:
            report_dangling(park.source_path, meta.line_of("parent"), "parent", park.parent, "parks", slugs, problems)
            continue
        seen, current = {park.slug}, park.parent
        while current in parents and current not in seen:
            seen.add(current)
            current = parents[current]
        if current in seen:
            problems.error(
                park.source_path,
                meta.line_of("parent"),
                zh_en("parent 形成了循环：园区不能包含自己", "parent makes a loop: a park cannot contain itself"),
                zh_en("检查这几个园区的 parent 字段", f"check the parent fields of: {', '.join(sorted(seen))}"),
            )


def _with_children(park: Park, children: tuple[str, ...]) -> Park:
    return replace(park, children=children) if children else park


def _event(source: Source, fields: dict, config: SiteConfig, park_slugs: set[str], problems: Problems) -> Event | None:
    meta = source.front_matter
    parks = fields.get("parks", ())
    failed = False
    for index, slug in enumerate(parks):
        if slug not in park_slugs:
            report_dangling(source.zh.path, meta["parks"].line_of(index), "parks", slug, "parks", park_slugs, problems)
            failed = True
    if fields.get("end") and fields["end"] < fields["date"]:
        problems.error(
            source.zh.path,
            meta.line_of("end"),
            zh_en("结束日期早于开始日期", "the end date is before the start date"),
            zh_en("检查 date 和 end", "check date and end"),
        )
        failed = True
    if failed:
        return None
    return Event(
        slug=source.slug,
        title=fields["title"],
        date=fields["date"],
        body=_body(source),
        source_path=source.zh.path,
        end=fields.get("end"),
        time=fields.get("time"),
        end_time=fields.get("end_time"),
        city=config.cities[fields["city"]] if "city" in fields else None,
        venue=fields.get("venue"),
        kind=fields.get("kind"),
        parks=tuple(parks),
        summary=fields.get("summary"),
    )


def _page(source: Source, fields: dict) -> Page:
    return Page(
        slug=source.slug,
        title=fields["title"],
        body=_body(source),
        source_path=source.zh.path,
        summary=fields.get("summary"),
        menu=fields.get("menu"),
    )


def _citation(fields: dict) -> Citation:
    return Citation(publication=fields["publication"], date=fields.get("date"))


def _chain(source: Source, fields: dict, config: SiteConfig, park_slugs: set[str], problems: Problems) -> Chain | None:
    """A chain whose tiers and links are each named once and whose parks exist."""
    path, meta = source.zh.path, source.front_matter
    failed = False
    tier_lines: dict[str, int] = {}
    link_places: dict[str, tuple[str, int]] = {}
    for tier_index, tier in enumerate(fields["tiers"]):
        tier_meta = meta["tiers"][tier_index]
        line = tier_meta.line_of("id")
        if tier["id"] in tier_lines:
            problems.error(
                path,
                line,
                zh_en(f"环节层级 '{tier['id']}' 写了两次", f"the tier '{tier['id']}' is written twice"),
                zh_en(
                    f"第 {tier_lines[tier['id']]} 行已有这个层级；把两处的 links 合并到一起",
                    f"line {tier_lines[tier['id']]} has it already; merge the links of both into one tier",
                ),
            )
            failed = True
        tier_lines.setdefault(tier["id"], line)
        for link_index, link in enumerate(tier["links"]):
            link_meta = tier_meta["links"][link_index]
            line = link_meta.line_of("id")
            if link["id"] in link_places:
                first_tier, first_line = link_places[link["id"]]
                problems.error(
                    path,
                    line,
                    zh_en(
                        f"环节 '{link['id']}' 同时出现在层级 '{first_tier}'（第 {first_line} 行）和 '{tier['id']}'",
                        f"the link '{link['id']}' is in two tiers:"
                        f" '{first_tier}' (line {first_line}) and '{tier['id']}'",
                    ),
                    zh_en(
                        "一个环节只属于一个层级：删掉其中一个，或给另一个换个 id",
                        "a link belongs to one tier: delete one of them, or give the other its own id",
                    ),
                )
                failed = True
            link_places.setdefault(link["id"], (tier["id"], line))
            for park_index, slug in enumerate(link.get("parks", ())):
                if slug not in park_slugs:
                    line = link_meta["parks"].line_of(park_index)
                    report_dangling(path, line, "parks", slug, "parks", park_slugs, problems)
                    failed = True
    if failed:
        return None
    return Chain(
        slug=source.slug,
        name=fields["name"],
        sectors=tuple(config.sectors[sector] for sector in dict.fromkeys(fields["sectors"])),
        tiers=tuple(
            Tier(
                id=tier["id"],
                name=tier["name"],
                links=tuple(
                    Link(
                        id=link["id"],
                        name=link["name"],
                        description=link.get("description"),
                        enterprises=tuple(Enterprise(**enterprise) for enterprise in link.get("enterprises", ())),
                        parks=tuple(dict.fromkeys(link.get("parks", ()))),
                        sought=link.get("sought"),
                    )
                    for link in tier["links"]
                ),
            )
            for tier in fields["tiers"]
        ),
        sources=tuple(_citation(citation) for citation in fields["sources"]),
        body=_body(source),
        source_path=path,
        summary=fields.get("summary"),
    )


def _project(
    source: Source,
    fields: dict,
    config: SiteConfig,
    parks: dict[str, Park],
    park_slugs: set[str],
    chains: dict[str, Chain],
    chain_slugs: set[str],
    problems: Problems,
) -> Project | None:
    """A project placed in a park or a city, in a chain link that exists and hosts its park,
    with its stage dates in order."""
    path, meta = source.zh.path, source.front_matter
    failed = False
    park_slug, city_id = fields.get("park"), fields.get("city")
    park = parks.get(park_slug) if park_slug else None
    if park_slug is None and city_id is None:
        problems.error(
            path,
            meta.line_of("name"),
            zh_en("项目缺少 park 或 city，不知道在哪里", "the project has neither park nor city to place it"),
            zh_en(
                "在联盟园区里就写 park: 园区文件名；不在园区里就写 city: 城市编号（可加 district）",
                "in an alliance park write park: its slug; elsewhere write city: a city id (and district if known)",
            ),
        )
        failed = True
    if park_slug is not None and park_slug not in park_slugs:
        report_dangling(path, meta.line_of("park"), "park", park_slug, "parks", park_slugs, problems)
        failed = True
    elif park_slug is not None and park is None:
        failed = True  # the park's own file has errors, reported there
    if park is not None and city_id is not None and park.city.id != city_id:
        problems.error(
            path,
            meta.line_of("city"),
            zh_en(
                f"city 写的是 '{city_id}'，但园区 {park_slug} 在 '{park.city.id}'",
                f"city says '{city_id}', but the park {park_slug} is in '{park.city.id}'",
            ),
            zh_en(
                f"删掉 city（园区已说明城市），或写 city: {park.city.id}",
                f"delete city (the park gives it), or write city: {park.city.id}",
            ),
        )
        failed = True
    chain_slug, link_id = fields.get("chain"), fields.get("link")
    if link_id is not None and chain_slug is None:
        problems.error(
            path,
            meta.line_of("link"),
            zh_en("写了 link 却没有写 chain", "link is given without chain"),
            zh_en("加上 chain: 产业链文件名", "add chain: the slug of the chain the link belongs to"),
        )
        failed = True
    if chain_slug is not None and chain_slug not in chain_slugs:
        report_dangling(path, meta.line_of("chain"), "chain", chain_slug, "chains", chain_slugs, problems)
        failed = True
    chain = chains.get(chain_slug) if chain_slug else None
    if chain is not None and link_id is not None:
        link_ids = [link.id for link in chain.links]
        if link_id not in link_ids:
            suggestion = closest(link_id, link_ids)
            guess = zh_en(f"是不是 '{suggestion}'？", f"did you mean '{suggestion}'? ") if suggestion else ""
            problems.error(
                path,
                meta.line_of("link"),
                zh_en(
                    f"产业链 {chain_slug} 里没有环节 '{link_id}'",
                    f"the chain {chain_slug} has no link '{link_id}'",
                ),
                guess + zh_en(f"可选：{', '.join(link_ids)}", f"choose from: {', '.join(link_ids)}"),
            )
            failed = True
        elif park_slug is not None and park_slug not in chain.link(link_id).parks:
            hosts = ", ".join(chain.link(link_id).parks) or zh_en("（没有）", "(none)")
            problems.error(
                path,
                meta.line_of("park"),
                zh_en(
                    f"园区 {park_slug} 不在产业链 {chain_slug} 的环节 '{link_id}' 里",
                    f"the park {park_slug} is not among the parks of link '{link_id}' in the chain {chain_slug}",
                ),
                zh_en(
                    f"在 content/chains/{chain_slug}.md 的环节 {link_id} 的 parks 里加上 {park_slug}，或改正 link"
                    f"（现有园区：{hosts}）",
                    f"add {park_slug} to the parks of link {link_id} in content/chains/{chain_slug}.md, or correct"
                    f" link (its parks: {hosts})",
                ),
            )
            failed = True
    dates = fields.get("dates", {})
    known = [(name, dates[name]) for name in STAGE_DATES if name in dates]
    for (earlier_name, earlier), (later_name, later) in itertools.pairwise(known):
        if later.latest() < earlier.earliest():
            problems.error(
                path,
                meta["dates"].line_of(later_name),
                zh_en(
                    f"{later_name} 日期 {later} 早于 {earlier_name} 日期 {earlier}",
                    f"the {later_name} date {later} is before the {earlier_name} date {earlier}",
                ),
                zh_en(
                    f"阶段依次是 {' → '.join(STAGE_DATES)}；检查这两个日期",
                    f"the stages follow each other: {' → '.join(STAGE_DATES)}; check both dates",
                ),
            )
            failed = True
    if failed:
        return None
    return Project(
        slug=source.slug,
        name=fields["name"],
        city=park.city if park is not None else config.cities[fields["city"]],  # one of them, checked above
        stage=fields["stage"],
        source=_citation(fields["source"]),
        source_path=path,
        investor=fields.get("investor"),
        park=park_slug,
        district=fields.get("district") or (park.district if park is not None else None),
        sector=config.sectors[fields["sector"]] if "sector" in fields else None,
        chain=chain_slug,
        link=link_id,
        investment=fields.get("investment"),
        dates=StageDates(**dates),
        summary=fields.get("summary"),
    )
