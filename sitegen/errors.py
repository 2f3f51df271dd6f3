"""Problems found in an editor's content or theme, collected and printed without tracebacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing an editor should change, said in Chinese then English, with where and how."""

    path: str
    line: int | None
    severity: Severity
    message: str
    hint: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "" if self.severity is Severity.ERROR else "warning: "
        text = f"{where}: {label}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


def said_twice(chinese: str, english: str) -> str:
    """Join the Chinese and English wording of one message, Chinese first."""
    return f"{chinese} / {english}"


@dataclass
class Problems:
    """The one list every stage before rendering appends to, so an editor sees all mistakes at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line, Severity.ERROR, message, hint))

    def warning(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(path, line, Severity.WARNING, message, hint))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def is_fatal(self, strict: bool) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Problem]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=Problem.sort_key)

    def report(self) -> str:
        return "\n".join(problem.format() for problem in self.sorted())


class SiteError(Exception):
    """Raised when content or theme problems stop a build; it carries every problem found."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems
