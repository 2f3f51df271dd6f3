"""Problems found in an editor's content or theme, collected and printed without tracebacks."""

from __future__ import annotations

import errno
import re
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
    column: str | None = None
    """A spreadsheet column letter (`parks.xlsx:5:D`); files of text have lines only."""

    def format(self) -> str:
        """`path:line: message` and an indented hint: two lines, whatever the values quoted in
        them hold, so no value can start a line of its own (on GitHub Actions a line starting
        `::` is a workflow command)."""
        where = visible(self.where())
        label = "" if self.severity is Severity.ERROR else "warning: "
        text = f"{where}: {label}{visible(self.message)}"
        if self.hint:
            text += f"\n  hint: {visible(self.hint)}"
        return text

    def where(self) -> str:
        """`path`, `path:line` or `path:line:column`, as editors and their tools jump to it."""
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, _column_order(self.column), self.message)


def _column_order(column: str | None) -> str:
    """Sort B before AA, as the sheet shows them."""
    return (column or "").rjust(3)


_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def visible(text: str) -> str:
    """`text` on one line: line breaks and other control characters written as escapes (`\\n`)."""
    return _INVISIBLE.sub(lambda match: match.group().encode("unicode_escape", "backslashreplace").decode(), text)


def zh_en(chinese: str, english: str) -> str:
    """Join the Chinese and English wording of one message, Chinese first."""
    return f"{chinese} / {english}"


RUN_AGAIN = ("再运行一次这个命令", "run the command again")
SAVE_AGAIN = ("再保存一次", "save again")
"""What to do once there is space again (Chinese, English): a command's, the preview's."""


def file_error_report(error: OSError, again: tuple[str, str] = RUN_AGAIN) -> str:
    """A file that could not be read or written (a full disk, a folder not writable), named,
    or a process that could not be started, with what to do about it: two lines."""
    where = visible(str(error.filename)) if error.filename else None
    reason = error.strerror or str(error)
    if where is None and error.errno in (errno.EAGAIN, errno.ENOMEM):  # no process could be started
        said = zh_en(f"系统的进程或内存不够用：{reason}", f"the machine is out of processes or memory: {reason}")
        return f"{said}\n  hint: {zh_en(f'关闭一些程序，{again[0]}', f'close some programs, then {again[1]}')}"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = zh_en(f"腾出磁盘空间，{again[0]}", f"free some space on the disk, then {again[1]}")
    else:
        hint = zh_en("检查文件夹是否存在、你是否有权写入", "check that the folder exists and that you may write to it")
    said = zh_en(f"无法读写 {where or '一个文件'}：{reason}", f"could not read or write {where or 'a file'}: {reason}")
    return f"{said}\n  hint: {hint}"


@dataclass
class Problems:
    """The one list every stage before rendering appends to, so an editor sees all mistakes at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int | None, message: str, hint: str = "", column: str | None = None) -> None:
        self.items.append(Problem(path, line, Severity.ERROR, message, hint, column))

    def warning(self, path: str, line: int | None, message: str, hint: str = "", column: str | None = None) -> None:
        self.items.append(Problem(path, line, Severity.WARNING, message, hint, column))

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
