"""The site's languages, the bilingual value type, and the theme's UI strings."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

LANGUAGES = ("zh", "en")
"""The languages entries are written in. Chinese is primary: at the site root, with every fact."""

TRADITIONAL = "zh-hant"
"""An optional third language, converted from the Simplified Chinese pages at build time."""

HTML_LANG = {"zh": "zh-CN", "en": "en", TRADITIONAL: "zh-Hant"}


def language_name(lang: str, languages: tuple[str, ...]) -> str:
    """What the language switcher calls a language; "中文" needs qualifying only beside 繁體."""
    if lang == "zh":
        return "简体中文" if TRADITIONAL in languages else "中文"
    return {"en": "English", TRADITIONAL: "繁體中文"}[lang]


def source_language(lang: str) -> str:
    """The language a page's text is taken from: Traditional pages start from Simplified."""
    return "zh" if lang == TRADITIONAL else lang


class TraditionalConverter:
    """Simplified to Traditional Chinese with OpenCC, phrase by phrase (头发 -> 頭髮, 发展 -> 發展).

    The "s2t" dictionary keeps mainland terms and proper names (齐鲁软件园 -> 齊魯軟件園) rather
    than swapping in Taiwanese vocabulary, which would rename the parks.
    """

    def __init__(self, dictionary: str = "s2t") -> None:
        import opencc  # only sites that switch Traditional Chinese on pay for loading it

        self._converter = opencc.OpenCC(dictionary)

    def convert(self, text: str) -> str:
        return self._converter.convert(text)


class SearchSpellings:
    """Other ways a reader may type a Chinese name: pinyin joined and by syllable (jinan,
    ji nan), and Traditional characters in mainland and Taiwanese wording (軟件, 軟體).

    `known` holds spellings worked out before (a build keeps them between runs), so the
    dictionaries are loaded only for a name not seen yet; `used` says which names this run asked for.
    """

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.known = known if known is not None else {}
        self.used: set[str] = set()
        self._spell: Callable[[str], str] | None = None

    def of(self, name: str) -> str:
        self.used.add(name)
        if name not in self.known:
            if self._spell is None:
                self._spell = _spelling_rules()
            self.known[name] = self._spell(name)
        return self.known[name]


@functools.cache  # once per process: loading the dictionaries is the slow part
def _spelling_rules() -> Callable[[str], str]:
    from pypinyin import lazy_pinyin  # its dictionary is slow to load, so only callers pay for it

    traditional = (TraditionalConverter("s2t"), TraditionalConverter("s2twp"))

    def spell(name: str) -> str:
        syllables = [syllable for syllable in lazy_pinyin(name) if syllable.isascii() and syllable.isalpha()]
        spellings = ["".join(syllables), *syllables, *(converter.convert(name) for converter in traditional)]
        return " ".join(dict.fromkeys(s for s in spellings if s and s != name))

    return spell


@dataclass(frozen=True, slots=True)
class Localized:
    """A short text in both languages; English falls back to Chinese, and says so."""

    zh: str
    en: str | None = None

    def get(self, lang: str) -> str:
        if lang == "en" and self.en:
            return self.en
        return self.zh

    def is_fallback(self, lang: str) -> bool:
        """True when the text shown for `lang` is really the Chinese one."""
        return lang == "en" and not self.en


@dataclass(frozen=True)
class Catalogue:
    """UI strings keyed by name, each in every language; a missing key fails the build."""

    strings: dict[str, Localized]

    def text(self, key: str, lang: str) -> str:
        return self.strings[key].get(lang)
