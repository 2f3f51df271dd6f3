"""Parks entered twice: the same name in either language, or nearly the same name a few hundred
metres apart, as when one editor writes 威海火炬高新区 and another 威海火炬高技术产业开发区."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping

from sitegen import geo
from sitegen.content.model import Park
from sitegen.errors import Problems, zh_en

NEAR_M = 500
"""Two parks whose names differ only in their suffix are one park when closer than this; the
parks of one city named for it (济南高新区, 济南经开区) lie kilometres apart."""

_CHINESE_SUFFIXES = (
    "高新技术产业开发区",
    "高新技术产业园区",
    "高技术产业开发区",
    "经济技术开发区",
    "高新技术开发区",
    "经济开发区",
    "工业园区",
    "产业园区",
    "科技园区",
    "高新区",
    "经开区",
    "开发区",
    "示范区",
    "工业园",
    "产业园",
    "科技园",
    "新区",
    "园区",
    "园",
    "区",
)
"""Longest first: the kinds of park names end in, which editors write long or short."""
_ENGLISH_SUFFIXES = (
    "economicandtechnologicaldevelopmentzone",
    "hightechindustrialdevelopmentzone",
    "hightechdevelopmentzone",
    "economicdevelopmentzone",
    "industrialpark",
    "developmentzone",
    "technologypark",
    "sciencepark",
    "hightechzone",
    "newarea",
    "park",
    "zone",
    "area",
)
_NOT_IN_A_NAME = re.compile(r"[\s\W_]+")


def chinese_core(name: str) -> str:
    """The distinctive part of a Chinese park name: without spaces, punctuation, brackets, the
    province, 省/市 and the kind of park it ends in."""
    text = _NOT_IN_A_NAME.sub("", name)
    text = re.sub("^山东省?", "", text).replace("市", "")
    return _strip_suffixes(text, _CHINESE_SUFFIXES)


def english_core(name: str) -> str:
    """The distinctive part of an English park name, the same way ("Hi-tech" read as "High-tech")."""
    text = _NOT_IN_A_NAME.sub("", name.lower()).replace("hitech", "hightech")
    text = re.sub("^shandong", "", text)
    return _strip_suffixes(text, _ENGLISH_SUFFIXES)


def _strip_suffixes(text: str, suffixes: tuple[str, ...]) -> str:
    stripped = True
    while stripped:
        stripped = False
        for suffix in suffixes:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, stripped = text[: -len(suffix)], True
                break
    return text


def warn_duplicate_parks(parks: Iterable[Park], name_lines: Mapping[str, int], problems: Problems) -> None:
    """A warning on the later file of every pair that looks like one park, naming the other."""
    ordered = sorted(parks, key=lambda park: park.slug)
    for first, second, reason in _likely_pairs(ordered):
        problems.warning(
            second.source_path,
            name_lines.get(second.slug),
            zh_en(
                f"可能和 {first.source_path} 是同一个园区：{reason[0]}",
                f"this may be the same park as {first.source_path}: {reason[1]}",
            ),
            zh_en(
                "同一个园区只保留一个文件，删去另一个；确实是两个园区，就把名称写得能区分开",
                "keep one file per park and delete the other; if they are two parks, give them names"
                " that tell them apart",
            ),
        )


def _likely_pairs(parks: list[Park]) -> Iterator[tuple[Park, Park, tuple[str, str]]]:
    """(first, second, (why in Chinese, why in English)) for each pair, each pair once."""
    reported: set[tuple[str, str]] = set()
    for lang, key in (("zh", _same_name_zh), ("en", _same_name_en)):
        for group in _groups(parks, key):
            for first, second in itertools.combinations(group, 2):
                if (first.slug, second.slug) not in reported:
                    reported.add((first.slug, second.slug))
                    name = first.name.get(lang)
                    yield first, second, (f"名称相同（{name}）", f"the same name ({name})")
    for core in (_core_zh, _core_en):
        for group in _groups(parks, core):
            for first, second in itertools.combinations(group, 2):
                distance = geo.distance_m(first.lat, first.lon, second.lat, second.lon)
                if distance > NEAR_M or _nested(first, second) or (first.slug, second.slug) in reported:
                    continue
                reported.add((first.slug, second.slug))
                names = f"{first.name.zh} / {second.name.zh}"
                yield (
                    first,
                    second,
                    (
                        f"名称几乎相同（{names}），相距约 {distance:.0f} 米",
                        f"nearly the same name ({first.name.en} / {second.name.en}), about {distance:.0f} m apart",
                    ),
                )


def _groups(parks: list[Park], key: Callable[[Park], str]) -> Iterator[list[Park]]:
    by_key: dict[str, list[Park]] = {}
    for park in parks:
        value = key(park)
        if value:
            by_key.setdefault(value, []).append(park)
    return (group for group in by_key.values() if len(group) > 1)


def _same_name_zh(park: Park) -> str:
    return _NOT_IN_A_NAME.sub("", park.name.zh)


def _same_name_en(park: Park) -> str:
    return _NOT_IN_A_NAME.sub("", park.name.en.lower()) if park.name.en else ""


def _core_zh(park: Park) -> str:
    return chinese_core(park.name.zh)


def _core_en(park: Park) -> str:
    return english_core(park.name.en) if park.name.en else ""


def _nested(first: Park, second: Park) -> bool:
    """A park within a park (区中园) may share its parent's name and place."""
    return first.parent == second.slug or second.parent == first.slug
