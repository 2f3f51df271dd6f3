"""The site's languages, the bilingual value type, and the theme's UI strings."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("zh", "en")
"""Chinese is the primary language: it lives at the site root and holds every fact."""

HTML_LANG = {"zh": "zh-CN", "en": "en"}
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


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

    def lang_of(self, lang: str) -> str:
        """The language the text shown for `lang` is written in, for a `lang` attribute."""
        return "zh" if self.is_fallback(lang) else lang


@dataclass(frozen=True)
class Catalogue:
    """UI strings keyed by name, each in every language; a missing key fails the build."""

    strings: dict[str, Localized]

    def text(self, key: str, lang: str) -> str:
        return self.strings[key].get(lang)
