"""Typed field specs for YAML data: each checks one value, reports what is wrong with a hint, and
returns the clean Python value. Content and config schemas are built from these."""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import math
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from sitegen import geo
from sitegen.content import units
from sitegen.content.frontmatter import Mapping, Sequence
from sitegen.content.i18n import Localized
from sitegen.errors import Problems, zh_en

INVALID: Any = object()
"""Returned by a check that reported a problem; callers skip the value."""


@dataclass(frozen=True, slots=True)
class Where:
    """Where a value was written, so a problem can name the file, line and key."""

    path: str
    line: int | None
    key: str
    problems: Problems
    raw: str | None = None

    def error(self, message: str, hint: str = "") -> Any:
        self.problems.error(self.path, self.line, message, hint)
        return INVALID

    def child(self, key: str, line: int, raw: str | None = None) -> Where:
        return Where(self.path, line, key, self.problems, raw)

    def warning(self, message: str, hint: str = "") -> None:
        self.problems.warning(self.path, self.line, message, hint)

    def trial(self) -> Where:
        """The same place with a scratch list, to ask whether a value would pass without reporting it."""
        return Where(self.path, self.line, self.key, Problems(), self.raw)


def closest(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return matches[0] if matches else None


def _type_name(value: Any) -> tuple[str, str]:
    if isinstance(value, bool):
        return "是/否 (yes/no)", "a yes/no value"
    if isinstance(value, int | float):
        return f"数字 {value}", f"the number {value}"
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, dict):
        return "键值表", "a mapping"
    if value is None:
        return "空值", "empty"
    return "文字", "text"


def _quote_hint(where: Where) -> str:
    shown = where.raw if where.raw is not None else "…"
    return zh_en(
        f'给值加上引号：{where.key}: "{shown}"',
        f'put the value in quotes: {where.key}: "{shown}"',
    )


class FieldType:
    """One kind of value."""

    @property
    def describe(self) -> str:
        """The value as the editors' field reference shows it; a class attribute in most types."""
        return ""

    @property
    def describe_zh(self) -> str:
        """The same in Chinese, where Chinese is shown (the spreadsheet's field guide)."""
        return ""

    def check(self, value: Any, where: Where) -> Any:
        raise NotImplementedError


class Text(FieldType):
    describe = "text"
    describe_zh = "文字"

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return where.error(
                    zh_en(f"'{where.key}' 是空的", f"'{where.key}' is empty"),
                    zh_en("填写内容，或删除这一行", "fill it in or delete the line"),
                )
            return value.strip()
        if isinstance(value, bool | int | float):
            zh, en = _type_name(value)
            return where.error(
                zh_en(
                    f"'{where.key}' 应当是文字，但 YAML 把它读成了{zh}",
                    f"'{where.key}' should be text, but YAML read it as {en}",
                ),
                _quote_hint(where),
            )
        zh, en = _type_name(value)
        return where.error(
            zh_en(f"'{where.key}' 应当是文字，而不是{zh}", f"'{where.key}' should be text, not {en}"),
            zh_en(f"写成 {where.key}: 文字", f"write it as {where.key}: some text"),
        )


class Url(Text):
    describe = "web address starting with https:// or http://"
    describe_zh = "以 https:// 或 http:// 开头的网址"

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is INVALID:
            return text
        parts = urlsplit(text)
        if parts.scheme in ("http", "https") and parts.netloc and not re.search(r"\s", text):
            return text
        return where.error(
            zh_en(f"'{text}' 不是网址", f"'{text}' is not a web address"),
            zh_en("以 https:// 或 http:// 开头，例如 https://www.example.cn/", "start with https:// or http://"),
        )


class MediaPath(Text):
    """A file under content/media/, written from content/ as `media/name.jpg`. The file's
    existence is checked with the site's vetted media list (sitegen.content.files)."""

    describe = "file under content/media/, written media/name.jpg"
    describe_zh = "content/media/ 下的文件，写成 media/文件名.jpg"

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is INVALID:
            return text
        path = media_path(text)
        if path is not None:
            return path
        return where.error(
            zh_en(
                f"'{text}' 不在 content/media/ 里：只能使用站点自己的图片",
                f"'{text}' is not inside content/media/: only the site's own files can be used",
            ),
            zh_en(
                "把文件放进 content/media/，写成 media/文件名.jpg（不要用 ..、盘符或 / 开头的路径）",
                "put the file in content/media/ and write media/name.jpg (no .., drive letter or leading /)",
            ),
        )


def media_path(text: str) -> str | None:
    """`media/…` for a path that stays inside content/media/, else None; a leading `/` or
    `../` (from a content file's folder) is read as content/, as editors' previewers do."""
    path = text.strip().replace("\\", "/")
    if re.match(r"^[A-Za-z]:|^~|^//", path):
        return None
    path = path.lstrip("/")
    if path.startswith("../"):
        path = path[3:]
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if len(parts) < 2 or parts[0] != "media" or ".." in parts:
        return None
    return "/".join(parts)


class Email(Text):
    describe = "e-mail address"
    describe_zh = "电子邮箱地址"

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is INVALID or re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", text):
            return text
        return where.error(
            zh_en(f"'{text}' 不是电子邮箱地址", f"'{text}' is not an e-mail address"),
            zh_en("写成 name@example.cn", "write it as name@example.cn"),
        )


class Phone(Text):
    """A phone number, kept as text. A mainland landline written without the 0 of its area code
    (6315628888 for 0631-5628888), as Excel leaves it from a General cell, reaches nobody."""

    describe = 'phone number in quotes, e.g. "0531-12345678"'
    describe_zh = '电话号码，加引号，例如 "0531-12345678"'

    def check(self, value: Any, where: Where) -> Any:
        text = super().check(value, where)
        if text is not INVALID and (area := _area_code_without_zero(text)):
            digits = re.sub(r"[\s\-()（）]", "", text)
            shown = f"0{area}-{digits[len(area) :]}"
            where.warning(
                zh_en(
                    f"电话号码 '{text}' 像是丢了区号前面的 0（应为 {shown}）",
                    f"the phone number '{text}' looks like a landline that lost the 0 of its area code ({shown})",
                ),
                zh_en(
                    f'写成带引号的 "{shown}"；在 Excel 里先把这一列设为“文本”格式再输入',
                    f'write it in quotes as "{shown}"; in Excel, format the column as Text before typing',
                ),
            )
        return text


_LANDLINE_WITHOUT_ZERO = re.compile(r"(10|2\d|[3-9]\d\d)\d{7,8}")
"""An area code (010, 02x, or three digits from 03xx to 09xx) without its 0, then 7 or 8 digits.
Mobile numbers start with 1 and have 11 digits; 400 and 800 numbers are dialled as written."""


def _area_code_without_zero(text: str) -> str | None:
    digits = re.sub(r"[\s\-()（）]", "", text)
    match = _LANDLINE_WITHOUT_ZERO.fullmatch(digits)
    if match is None or digits.startswith(("400", "800")) or len(digits) > 11:
        return None
    return match[1]


@dataclass(frozen=True)
class Bilingual(FieldType):
    """A short text in both languages: `{zh: …, en: …}`; plain text counts as Chinese."""

    require_english: bool = False

    @property
    def describe(self) -> str:
        both = "both required" if self.require_english else "en optional, falls back to zh"
        return f"{{zh: 中文, en: English}} ({both})"

    @property
    def describe_zh(self) -> str:
        both = "两种都必填" if self.require_english else "en 可以不写，缺了显示中文"
        return f"{{zh: 中文, en: English}}（{both}）"

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, str | bool | int | float) and not self.require_english:
            text = Text().check(value, where)
            return INVALID if text is INVALID else Localized(text)
        if not isinstance(value, Mapping):
            return where.error(
                zh_en(f"'{where.key}' 应当同时写中文和英文", f"'{where.key}' needs a Chinese and an English text"),
                zh_en(
                    f"写成 {where.key}: {{zh: 中文, en: English}}",
                    f"write it as {where.key}: {{zh: 中文, en: English}}",
                ),
            )
        unknown = [key for key in value if key not in ("zh", "en")]
        for key in unknown:
            where.child(key, value.line_of(key)).error(
                zh_en(
                    f"'{where.key}' 里只能有 zh 和 en，不认识 '{key}'",
                    f"'{where.key}' takes only zh and en, not '{key}'",
                ),
                zh_en("中文写在 zh，英文写在 en", "Chinese goes under zh, English under en"),
            )
        value = _without_blanks(value)
        texts: dict[str, Any] = {}
        for lang in ("zh", "en"):
            if lang in value:
                place = where.child(f"{where.key}.{lang}", value.line_of(lang), value.raw.get(lang))
                texts[lang] = Text().check(value[lang], place)
        if "zh" not in value:
            return where.error(
                zh_en(f"'{where.key}' 缺少中文 (zh)", f"'{where.key}' has no Chinese text (zh)"),
                zh_en(
                    f"加上 zh，例如 {where.key}: {{zh: 中文, en: English}}",
                    f"add zh, e.g. {where.key}: {{zh: 中文, en: English}}",
                ),
            )
        if self.require_english and "en" not in value:
            return where.error(
                zh_en(f"'{where.key}' 缺少英文 (en)", f"'{where.key}' has no English text (en)"),
                zh_en(
                    f"加上 en，例如 {where.key}: {{zh: 中文, en: English}}",
                    f"add en, e.g. {where.key}: {{zh: 中文, en: English}}",
                ),
            )
        if unknown or INVALID in texts.values():
            return INVALID
        return Localized(texts["zh"], texts.get("en"))


@dataclass(frozen=True)
class Choice(FieldType):
    options: tuple[str, ...]

    @property
    def describe(self) -> str:
        return "one of: " + " | ".join(self.options)

    @property
    def describe_zh(self) -> str:
        return "其中之一：" + " | ".join(self.options)

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, str) and value in self.options:
            return value
        return where.error(
            zh_en(f"'{where.key}' 不能是 '{value}'", f"'{where.key}' cannot be '{value}'"),
            _choice_hint(str(value), self.options),
        )


def _choice_hint(value: str, options: Iterable[str]) -> str:
    options = list(options)
    suggestion = closest(value, options)
    listed = ", ".join(options[:12]) + (" …" if len(options) > 12 else "")
    if suggestion:
        return zh_en(
            f"是不是 '{suggestion}'？可选：{listed}",
            f"did you mean '{suggestion}'? Choose from: {listed}",
        )
    return zh_en(f"可选：{listed}", f"choose from: {listed}")


@dataclass(frozen=True)
class IdOf(FieldType):
    """An id from a vocabulary file (sectors.yaml, cities.yaml), known only at run time."""

    vocabulary: str
    ids: Callable[[], Collection[str]] = field(compare=False, repr=False)

    @property
    def describe(self) -> str:
        return f"an id from content/{self.vocabulary}"

    @property
    def describe_zh(self) -> str:
        return f"content/{self.vocabulary} 里的编号"

    def check(self, value: Any, where: Where) -> Any:
        known = self.ids()
        if isinstance(value, str) and value in known:
            return value
        suggestion = closest(str(value), known)
        guess = zh_en(f"是不是 '{suggestion}'？", f"did you mean '{suggestion}'? ") if suggestion else ""
        return where.error(
            zh_en(
                f"content/{self.vocabulary} 里没有 '{value}'",
                f"'{value}' is not an id in content/{self.vocabulary}",
            ),
            guess
            + zh_en(
                f"使用 content/{self.vocabulary} 里已有的编号，或先在那里添加",
                f"use an id listed in content/{self.vocabulary}, or add it there first",
            ),
        )


class NumericField(FieldType):
    """A field whose value is a number. Infinity, NaN and numbers too large to add up (YAML's
    .inf, 1e999, a 400-digit integer) are refused here, once for every kind of number, so none
    reaches a total, a page, a map or a download."""

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return self.check_number(value, where)
        shown = where.raw or value
        if not _finite(value):
            return where.error(
                zh_en(
                    f"'{where.key}' 必须是有限的数字，而不是 {shown}",
                    f"'{where.key}' must be a finite number, not {shown}",
                ),
                zh_en(
                    f"写出实际的数字，例如 {where.key}: 12.5；不知道就删除这一行",
                    f"write the actual number, e.g. {where.key}: 12.5; if it is not known, delete the line",
                ),
            )
        if abs(value) > LARGEST_NUMBER:
            return where.error(
                zh_en(f"'{where.key}' 的数字 {shown} 大得不可能", f"'{where.key}' is too large to be real: {shown}"),
                zh_en(
                    "检查有没有多打几个 0；大数目请换用更大的单位，例如亿元",
                    "check for extra zeros; write a large amount in a larger unit, such as 亿元 (100 million yuan)",
                ),
            )
        return self.check_number(value, where)

    def check_number(self, value: Any, where: Where) -> Any:
        """The checks of this kind of number, given anything but a number too large or not finite."""
        raise NotImplementedError


LARGEST_NUMBER = 10**15
"""No park figure comes near it, and a total of a million such numbers is still exact enough."""


def _finite(value: float) -> bool:
    """NaN and infinity, and integers too large for a float, are not numbers a page can show."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


@dataclass(frozen=True)
class Number(NumericField):
    minimum: float | None = None
    maximum: float | None = None
    whole: bool = False

    @property
    def describe(self) -> str:
        return "whole number" if self.whole else "number"

    @property
    def describe_zh(self) -> str:
        return "整数" if self.whole else "数字"

    def check_number(self, value: Any, where: Where) -> Any:
        wrong_type = isinstance(value, bool) or not isinstance(value, int | float)
        if not wrong_type and self.whole and not isinstance(value, int):
            wrong_type = True
        if wrong_type:
            example = "2020" if self.whole else "12.5"
            return where.error(
                zh_en(
                    f"'{where.key}' 应当是数字，而不是 '{value}'",
                    f"'{where.key}' should be a number, not '{value}'",
                ),
                zh_en(
                    f"只写数字，不加引号和单位，例如 {where.key}: {example}",
                    f"write only the number, without quotes or unit, e.g. {where.key}: {example}",
                ),
            )
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            return where.error(
                zh_en(f"'{where.key}' 的值 {value} 超出范围", f"'{where.key}' is out of range: {value}"),
                zh_en(
                    f"应在 {self.minimum} 到 {self.maximum} 之间",
                    f"it must lie between {self.minimum} and {self.maximum}",
                ),
            )
        return value


class Flag(FieldType):
    describe = "true or false"
    describe_zh = "true 或 false"

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, bool):
            return value
        return where.error(
            zh_en(f"'{where.key}' 应当是 true 或 false", f"'{where.key}' should be true or false"),
            zh_en(
                f"写成 {where.key}: true 或 {where.key}: false",
                f"write {where.key}: true or {where.key}: false",
            ),
        )


class ClockTime(FieldType):
    describe = 'time as "HH:MM" (24-hour, in quotes)'
    describe_zh = '时间，加引号写成 "HH:MM"（24 小时制）'

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML reads an unquoted 09:30 as the base-60 number 570
            hours, minutes = divmod(value, 60)
            return where.error(
                zh_en(
                    f"'{where.key}' 被 YAML 读成了数字 {value}",
                    f"YAML read '{where.key}' as the number {value}",
                ),
                zh_en(
                    f'时间要加引号：{where.key}: "{hours:02d}:{minutes:02d}"',
                    f'put the time in quotes: {where.key}: "{hours:02d}:{minutes:02d}"',
                ),
            )
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip()) if isinstance(value, str) else None
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return dt.time(int(match[1]), int(match[2]))
        return where.error(
            zh_en(
                f"'{where.key}' 应当是 时:分 格式的时间，而不是 '{value}'",
                f"'{where.key}' should be a time as HH:MM, not '{value}'",
            ),
            zh_en(f'例如 {where.key}: "09:30"', f'e.g. {where.key}: "09:30"'),
        )


FIRST_YEAR, LAST_YEAR = 1900, 2100
"""Dates the site can mean; calendars and feeds also compute the day after the last one."""


class Date(FieldType):
    describe = "date as YYYY-MM-DD"
    describe_zh = "日期，年-月-日（YYYY-MM-DD）"

    def check(self, value: Any, where: Where) -> Any:
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                return where.error(
                    zh_en(f"日期 {text} 不存在", f"{text} is not a real date"),
                    zh_en("检查月份和日期，例如 2023-02-28", "check the month and day, e.g. 2023-02-28"),
                )
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                return where.error(
                    zh_en(f"日期 {text} 的年份不合理", f"{text} is not a plausible date"),
                    zh_en(
                        f"年份应在 {FIRST_YEAR} 到 {LAST_YEAR} 之间；检查是否打错",
                        f"the year must lie between {FIRST_YEAR} and {LAST_YEAR}; check for a typo",
                    ),
                )
            return day
        return where.error(
            zh_en(
                f"'{where.key}' 应当是 年-月-日 格式的日期，而不是 '{value}'",
                f"'{where.key}' should be a date as YYYY-MM-DD, not '{value}'",
            ),
            zh_en(f"例如 {where.key}: 2020-09-20", f"e.g. {where.key}: 2020-09-20"),
        )


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day, as articles give them ("2023", "年初")."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        return "-".join(f"{part:02d}" for part in (self.year, self.month, self.day) if part is not None)

    def earliest(self) -> dt.date:
        """The first day it may mean: a stage dated "2023" may follow one dated 2023-05-01."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, self.month, self.day)


class LooseDate(FieldType):
    describe = 'date as YYYY-MM-DD, or "YYYY-MM" or "YYYY" (in quotes) when the source gives no more'
    describe_zh = '日期 YYYY-MM-DD；来源只写到月或年时加引号写 "YYYY-MM" 或 "YYYY"'

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, dt.date):
            return PartialDate(value.year, value.month, value.day)
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
        if match:
            year_text, month_text, day_text = match.groups()
            year = int(year_text)
            month = int(month_text) if month_text else None
            day = int(day_text) if day_text else None
            try:
                dt.date(year, month or 1, day or 1)
            except ValueError:
                return where.error(
                    zh_en(f"日期 {text} 不存在", f"{text} is not a real date"),
                    zh_en("检查月份和日期，例如 2023-02-28", "check the month and day, e.g. 2023-02-28"),
                )
            return PartialDate(year, month, day)
        return where.error(
            zh_en(
                f"'{where.key}' 应当是 年-月-日、年-月 或 年，而不是 '{value}'",
                f"'{where.key}' should be a date as YYYY-MM-DD, \"YYYY-MM\" or \"YYYY\", not '{value}'",
            ),
            zh_en(
                f'例如 {where.key}: 2023-02-03 或 {where.key}: "2023"',
                f'e.g. {where.key}: 2023-02-03 or {where.key}: "2023"',
            ),
        )


_AMOUNT_WITH_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(亿元|亿|億元|億|万元|万)?\s*(元|人民币|RMB)?\s*$")


class Amount(NumericField):
    """Money in 亿元 (100 million yuan), as a bare number: the unit is the field's, never the text's."""

    describe = "amount in 亿元 (100 million yuan) as a bare number, e.g. 58 for 58亿元"
    describe_zh = "以亿元计的数字，不带单位，例如 58 表示 58亿元"

    def check_number(self, value: Any, where: Where) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return value
        match = _AMOUNT_WITH_UNIT.match(value) if isinstance(value, str) else None
        if match:
            number = float(match[1])
            if match[2] in ("万元", "万"):
                number = number / 10000
            shown = format(number, "g") if number < 1e6 else str(number)
            return where.error(
                zh_en(
                    f"'{where.key}' 只写数字（单位是亿元），不能写成 '{value}'",
                    f"'{where.key}' takes a bare number in 亿元 (100 million yuan), not '{value}'",
                ),
                zh_en(f"写成 {where.key}: {shown}", f"write {where.key}: {shown}"),
            )
        return where.error(
            zh_en(
                f"'{where.key}' 应当是以亿元计的数字，而不是 '{value}'",
                f"'{where.key}' should be a number of 亿元 (100 million yuan), not '{value}'",
            ),
            zh_en(
                f"例如总投资58亿元写成 {where.key}: 58；金额不详就删掉这一行",
                f"e.g. 5.8 billion yuan is {where.key}: 58; leave the line out when the amount is not known",
            ),
        )


@dataclass(frozen=True)
class ListOf(FieldType):
    item: FieldType
    at_least: int = 0

    @property
    def describe(self) -> str:
        return f"list of {self.item.describe}"

    @property
    def describe_zh(self) -> str:
        return f"列表，每项是{self.item.describe_zh}"

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, str | bool | int | float) and not isinstance(value, Sequence):
            value = _one_item_list(value, where)
        if not isinstance(value, Sequence):
            return where.error(
                zh_en(f"'{where.key}' 应当是列表", f"'{where.key}' should be a list"),
                zh_en(
                    f"写成 {where.key}: [a, b] 或每行一个 `- a`",
                    f"write {where.key}: [a, b] or one `- a` per line",
                ),
            )
        if len(value) < self.at_least:
            return where.error(
                zh_en(
                    f"'{where.key}' 至少要有 {self.at_least} 项",
                    f"'{where.key}' needs at least {self.at_least} item(s)",
                ),
                zh_en(f"写成 {where.key}: [a, b]", f"write {where.key}: [a, b]"),
            )
        items = []
        for index, item in enumerate(value):
            place = where.child(where.key, value.line_of(index))
            if isinstance(item, str) and _CHINESE_LIST_COMMA.search(item):
                items.append(self._check_joined(item, value, place))
            else:
                items.append(self.item.check(item, place))
        return INVALID if INVALID in items else tuple(items)

    def _check_joined(self, item: str, value: Sequence, where: Where) -> Any:
        """`sectors: [汽车，化工]` is one item to YAML: say so, and check the items the editor meant.

        An id can never contain `，` or `、`, so there it is an error; in free text (a company
        name) it might be meant, so there it is a warning.
        """
        fixed = ", ".join(_CHINESE_LIST_COMMA.sub(", ", part) if isinstance(part, str) else "…" for part in value)
        message = zh_en(
            f"'{where.key}' 里的 '{item}' 用了中文逗号，YAML 会把它当成一项",
            f"'{where.key}' has '{item}': with a Chinese comma YAML reads it as one item",
        )
        hint = zh_en(
            f"各项之间用英文逗号加空格：{where.key}: [{fixed}]",
            f"separate the items with an ASCII comma and a space: {where.key}: [{fixed}]",
        )
        alone = self.item.check(item, where.trial())
        if alone is not INVALID:
            where.warning(message, hint)
            return alone
        where.error(message, hint)
        for part in _CHINESE_LIST_COMMA.split(item):
            if part.strip():
                self.item.check(part.strip(), where)
        return INVALID


_CHINESE_LIST_COMMA = re.compile("[，、]")


def _one_item_list(value: Any, where: Where) -> Sequence:
    """An editor who writes `sectors: software` means a list of one."""
    sequence = Sequence([value])
    line = where.line or 0  # 0 where no line is known, as in Mapping and Sequence
    sequence.line, sequence.item_lines = line, [line]
    return sequence


@dataclass(frozen=True)
class Spec:
    """One field of a record: its name, type, whether it is required, and what it means."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    zh: str = ""
    """The description in Chinese: Chinese hints and the spreadsheet's field guide show it."""
    label: str = ""
    """The editor's Chinese label, where the one of the field's name elsewhere would mislead
    (a policy's `alliance` is not a park's membership); empty: the label of the name."""


def _without_blanks(mapping: Mapping) -> Mapping:
    kept = Mapping((key, item) for key, item in mapping.items() if not _is_blank(item))
    kept.line, kept.key_lines, kept.raw = mapping.line, mapping.key_lines, mapping.raw
    return kept


def _is_blank(value: Any) -> bool:
    """A field left empty (`icp: ""`, `icp:`, `[]`, `{zh: , en: }`) counts as not written."""
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict):
        return all(_is_blank(item) for item in value.values())
    if isinstance(value, list):
        return not value
    return value is None


@dataclass(frozen=True)
class FieldMapping(FieldType):
    """A mapping with known keys; unknown keys are errors with the closest known key suggested."""

    fields: tuple[Spec, ...]
    describe = "mapping"
    describe_zh = "键值表"

    def spec(self, name: str) -> Spec:
        return next(spec for spec in self.fields if spec.name == name)

    def check(self, value: Any, where: Where) -> Any:
        if not isinstance(value, Mapping):
            zh, en = _type_name(value)
            return where.error(
                zh_en(
                    f"'{where.key}' 应当是键值表，而不是{zh}",
                    f"'{where.key}' should be a mapping of fields, not {en}",
                ),
                zh_en(
                    f"写成 {where.key}: {{{', '.join(s.name + ': …' for s in self.fields[:3])}}}",
                    f"write it as {where.key}: {{{', '.join(s.name + ': …' for s in self.fields[:3])}}}",
                ),
            )
        known = self._known
        clean: dict[str, Any] = {}
        failed = False
        swapped = self._swapped_numbers(value)
        for key in value:
            line = value.line_of(key)
            if key not in known:
                suggestion = closest(key, known)
                guess = zh_en(f"是不是 '{suggestion}'？", f"did you mean '{suggestion}'? ") if suggestion else ""
                where.child(key, line).error(
                    zh_en(f"不认识的字段 '{key}'", f"unknown field '{key}'"),
                    guess + zh_en(f"可用字段：{', '.join(known)}", f"known fields: {', '.join(known)}"),
                )
                failed = True
                continue
            child_key = key if where.key == "" else f"{where.key}.{key}"
            if _is_blank(value[key]):
                if known[key].required:
                    where.child(child_key, line).error(
                        zh_en(f"必填字段 '{child_key}' 是空的", f"the required field '{child_key}' is empty"),
                        zh_en(
                            f"填写 {key}（{known[key].zh}）",
                            f"fill in {key} ({known[key].description})",
                        ),
                    )
                    failed = True
                continue
            place = where.child(child_key, line, value.raw.get(key))
            if key in swapped:
                result = _check_with_hint(known[key].type, value[key], place, _swap_hint(swapped, value))
            else:
                result = known[key].type.check(value[key], place)
            if result is INVALID:
                failed = True
            else:
                clean[key] = result
        for spec in self.fields:
            if spec.required and spec.name not in value:
                child_key = spec.name if where.key == "" else f"{where.key}.{spec.name}"
                where.error(
                    zh_en(f"缺少必填字段 '{child_key}'", f"the required field '{child_key}' is missing"),
                    zh_en(
                        f"加上一行 {spec.name}: …（{spec.zh}）",
                        f"add a line {spec.name}: … ({spec.description})",
                    ),
                )
                failed = True
        return INVALID if failed else clean

    def _swapped_numbers(self, value: Mapping) -> tuple[str, ...]:
        """Two number fields whose values fit each other's field but not their own, as when lat
        and lon are typed the wrong way round; their errors then say to exchange them."""
        numbers = [spec for spec in self._numbers if spec.name in value]
        for first, second in itertools.combinations(numbers, 2):
            written, other = value[first.name], value[second.name]
            as_written = _fits(first.type, written) and _fits(second.type, other)
            if not as_written and _fits(first.type, other) and _fits(second.type, written):
                return first.name, second.name
        return ()

    @cached_property
    def _numbers(self) -> tuple[Spec, ...]:
        return tuple(spec for spec in self.fields if isinstance(spec.type, Number))

    @cached_property
    def _known(self) -> dict[str, Spec]:
        return {spec.name: spec for spec in self.fields}


def _fits(field_type: FieldType, value: Any) -> bool:
    return field_type.check(value, Where("", 0, "", Problems())) is not INVALID


def _swap_hint(names: tuple[str, ...], value: Mapping) -> str:
    first, second = names
    shown = {name: value.raw.get(name, str(value[name])) for name in names}
    exchanged = f"{first}: {shown[second]}, {second}: {shown[first]}"
    return zh_en(
        f"{first} 和 {second} 好像写反了，请对调：{exchanged}",
        f"{first} and {second} look swapped; exchange them: {exchanged}",
    )


def _check_with_hint(field_type: FieldType, value: Any, where: Where, hint: str) -> Any:
    """Check as usual, but give every problem found the hint that names the real fix."""
    scratch = where.trial()
    result = field_type.check(value, scratch)
    where.problems.items.extend(replace(problem, hint=hint) for problem in scratch.problems.items)
    return result


class Location(FieldMapping):
    """A point `{lat, lon, crs}`. Precise numbers without `crs` get a warning: map pickers in
    China give GCJ-02 (Gaode/AMap, Tencent) or BD-09 (Baidu), and nothing in the numbers says
    which; only the editor knows where they were copied from."""

    def check(self, value: Any, where: Where) -> Any:
        result = super().check(value, where)
        if result is not INVALID and "crs" not in result and isinstance(value, Mapping):
            decimals = max(_decimals(value.raw.get("lat", "")), _decimals(value.raw.get("lon", "")))
            if decimals >= _PICKER_DECIMALS:
                _advise_crs(result["lat"], result["lon"], decimals, where)
        return result


_PICKER_DECIMALS = 5
"""Nobody types five decimals (about a metre) by hand: such numbers were copied from a map."""


def _decimals(raw: str) -> int:
    return len(raw.split(".", 1)[1]) if "." in raw else 0


def _advise_crs(lat: float, lon: float, decimals: int, where: Where) -> None:
    gaode = geo.distance_m(lat, lon, *geo.to_wgs84(lat, lon, "gcj02"))
    baidu = geo.distance_m(lat, lon, *geo.to_wgs84(lat, lon, "bd09"))
    where.warning(
        zh_en(
            f"坐标有 {decimals} 位小数但没有写 crs：如果是从高德地图复制的，标记会偏约 {_metres(gaode, 'zh')}，"
            f"从百度地图复制的会偏约 {_metres(baidu, 'zh')}",
            f"the coordinates have {decimals} decimals but no crs: if they were copied from Gaode/AMap the marker"
            f" is about {_metres(gaode, 'en')} off, from Baidu about {_metres(baidu, 'en')}",
        ),
        zh_en(
            "在 location 里写明来源：高德、腾讯地图加 crs: gcj02，百度地图加 crs: bd09，GPS 或天地图加 crs: wgs84",
            "say where they come from in location: crs: gcj02 for Gaode/AMap or Tencent, crs: bd09 for Baidu,"
            " crs: wgs84 for GPS or Tianditu",
        ),
    )


def _metres(distance: float, lang: str) -> str:
    if distance >= 1000:
        return f"{distance / 1000:.1f} 公里" if lang == "zh" else f"{distance / 1000:.1f} km"
    return f"{round(distance, -1):.0f} 米" if lang == "zh" else f"{round(distance, -1):.0f} m"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, the unit as the site spells it (sitegen.content.units)."""

    value: float
    unit: str


_QUANTITY_TEXT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([^\d\s.].*?)\s*$")


@dataclass(frozen=True)
class UnitOf(FieldType):
    """A unit from `units`; the spellings editors type (mu, m2, 平方米) become the site's own."""

    units: tuple[str, ...]

    @property
    def describe(self) -> str:
        return "unit: " + " | ".join(self.units)

    @property
    def describe_zh(self) -> str:
        return "单位：" + " | ".join(self.units)

    def check(self, value: Any, where: Where) -> Any:
        found = units.find_unit(value) if isinstance(value, str) else None
        if found is not None and found.id in self.units:
            return found.id
        return where.error(
            zh_en(f"'{where.key}' 的单位不能是 '{value}'", f"'{where.key}' cannot be in '{value}'"),
            zh_en(f"可用单位：{', '.join(self.units)}", f"use one of: {', '.join(self.units)}"),
        )


@dataclass(frozen=True)
class Measure(FieldType):
    """`{value: 50, unit: 亩}` or `50 亩`: a number never stands without its unit, and each unit
    has bounds past which the number is a typo."""

    units: tuple[str, ...]
    positive: bool = False

    @property
    def describe(self) -> str:
        return f"{{value, unit}} or '50 {self.units[0]}'; unit: " + " | ".join(self.units)

    @property
    def describe_zh(self) -> str:
        return f"{{value, unit}} 或 '50 {self.units[0]}'；单位：" + " | ".join(self.units)

    def check(self, value: Any, where: Where) -> Any:
        example = f"{where.key}: {{value: 50, unit: {self.units[0]}}}"
        if _without_unit(value):
            value = str(value).strip()
            return where.error(
                zh_en(f"'{where.key}' 的 {value} 没有写单位", f"'{where.key}' gives {value} without a unit"),
                zh_en(
                    f"写上单位，例如 {where.key}: {{value: {value}, unit: {self.units[0]}}}"
                    f"（可用单位：{', '.join(self.units)}）",
                    f"add the unit, e.g. {where.key}: {{value: {value}, unit: {self.units[0]}}}"
                    f" (units: {', '.join(self.units)})",
                ),
            )
        if isinstance(value, str):
            match = _QUANTITY_TEXT.match(value)
            if match is None:
                return where.error(
                    zh_en(
                        f"'{where.key}' 应当是数字加单位，而不是 '{value}'",
                        f"'{where.key}' needs a number and a unit, not '{value}'",
                    ),
                    zh_en(f"例如 {example}", f"e.g. {example}"),
                )
            mapping = Mapping(value=float(match[1]) if "." in match[1] else int(match[1]), unit=match[2])
            mapping.line, mapping.key_lines, mapping.raw = where.line or 0, {}, {"value": match[1]}
            value = mapping
        parts = self._parts.check(value, where)
        if parts is INVALID:
            return INVALID
        number, unit = parts["value"], units.UNITS[parts["unit"]]
        lowest = "大于 0" if self.positive else "不小于 0"
        if number < 0 or (self.positive and number == 0) or number > unit.maximum:
            return where.error(
                zh_en(
                    f"'{where.key}' 的 {number:g} {unit.id} 不合常理",
                    f"'{where.key}' of {number:g} {unit.id} cannot be right",
                ),
                zh_en(
                    f"以 {unit.id} 计应{lowest}、不超过 {unit.maximum:,g}；检查数字和单位",
                    f"in {unit.id} it must be {'above' if self.positive else 'at least'} 0 and at most"
                    f" {unit.maximum:,g}; check the number and the unit",
                ),
            )
        return Quantity(number, unit.id)

    @cached_property
    def _parts(self) -> FieldMapping:
        return FieldMapping(
            (
                Spec("value", Number(), "the number", required=True),
                Spec("unit", UnitOf(self.units), "its unit", required=True),
            )
        )


def _without_unit(value: Any) -> bool:
    """A number, or a text holding only one (a sheet's cell "6000"): an amount whose unit is missing."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (
        isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value.strip()) is not None
    )


ON_REQUEST = "on request"
_ON_REQUEST_SPELLINGS = ("on request", "面议", "议价", "价格面议")


@dataclass(frozen=True)
class Price(Measure):
    """A price with its unit, or `on request` (面议) when the office gives it only when asked."""

    @property
    def describe(self) -> str:
        return f"{super().describe}, or on request (面议)"

    @property
    def describe_zh(self) -> str:
        return f"{super().describe_zh}，或写 面议"

    def check(self, value: Any, where: Where) -> Any:
        if isinstance(value, str) and value.strip().lower() in _ON_REQUEST_SPELLINGS:
            return ON_REQUEST
        return super().check(value, where)
