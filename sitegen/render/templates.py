"""The theme's templates as Jinja loads them, and a template that fails as the site's own error.

A site's templates are content: they load only files of the site folder or of the packaged
theme, and whatever goes wrong while one renders (a typo, a division by zero, text added to a
number, an include of itself) is reported at its file and line with a hint, never as an internal
error of the generator.
"""

from __future__ import annotations

from collections.abc import Callable
from types import FunctionType, MethodType, TracebackType
from typing import Any

import jinja2
from jinja2.runtime import Macro
from jinja2.utils import internalcode

from sitegen.content.theme import Theme
from sitegen.errors import Problems, zh_en


class ThemeError(Exception):
    """A template that cannot render; carries the problem to report."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(problems)  # as its only argument, so it survives pickling from a worker
        self.problems = problems


_STOPPED = "value was undefined because a callable raised a StopIteration exception"
"""What Jinja says of a value whose function raised StopIteration, word for word."""


class QuickCallContext(jinja2.runtime.Context):
    """Jinja's context, with a quicker way to call a function, method or macro from a template.

    Jinja asks every callable, on every call, whether its `__call__` or itself wants the
    context, the evaluation context or the environment passed first. A thousand-park site's
    pages make some 400,000 calls (`t`, `link`, `href`, macros), and the asking took ten times
    as long as the calls. A function or method is asked once, directly; a template's macro
    wants nothing; anything else goes Jinja's own way.
    """

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (as Jinja's)
        kind = type(__obj)
        if kind is MethodType:
            wants = getattr(__obj.__func__, "jinja_pass_arg", None)  # type: ignore[attr-defined]
        elif kind is FunctionType:
            wants = getattr(__obj, "jinja_pass_arg", None)
        elif kind is not Macro:
            return super().call(__obj, *args, **kwargs)
        else:
            wants = None
        if wants is not None:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(_STOPPED)


class ThemeLoader(jinja2.FileSystemLoader):
    """Templates by name from the theme's folders, the site's first. Jinja already refuses `..`
    in a name; a template that is a link to a file outside the site folder is refused here."""

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme.template_folders())
        self._theme = theme

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not self._theme.may_read(filename):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def compile_templates(environment: jinja2.Environment) -> None:
    """Compile every page template of the theme now, in the build's process: the workers it
    forks then start with them compiled instead of each compiling them for itself, and the
    preview draws its saves here. One that does not compile is left to the page that uses it,
    which reports it with its file and line."""
    for name in environment.list_templates(extensions=["html"]):
        try:
            environment.get_template(name)
        except Exception:  # noqa: BLE001
            continue


def theme_error(theme: Theme, error: Exception) -> ThemeError | None:
    """`error`, raised while a template rendered, as the site's error at the template's line;
    None for an error of the generator's own code, which no template of the site is part of."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return ThemeError(_template_problem(theme, error.filename, error.lineno, _template_fault(error)))
    filename, line, site_template_ran = _template_frames(error.__traceback__, theme)
    if not isinstance(error, jinja2.TemplateError) and not site_template_ran:
        return None
    return ThemeError(_template_problem(theme, filename, line, _template_fault(error)))


def _template_frames(traceback: TracebackType | None, theme: Theme) -> tuple[str | None, int | None, bool]:
    """The innermost template file and line in a traceback, and whether a template of the site's
    own folder ran in it."""
    folders = [str(folder) for folder in theme.template_folders()]
    own = str(theme.override / "templates")
    found: tuple[str | None, int | None] = (None, None)
    site_template_ran = False
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".html") and any(filename.startswith(folder) for folder in folders):
            found = (filename, traceback.tb_lineno)
            site_template_ran = site_template_ran or filename.startswith(own)
        traceback = traceback.tb_next
    return (*found, site_template_ran)


def _template_fault(error: Exception) -> tuple[str, str]:
    """What went wrong, and what to write instead, each in both languages."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return zh_en("模板出错", f"template error: {error.message or error}"), _CHECK_LINE
    if isinstance(error, jinja2.TemplateNotFound):
        return (
            zh_en(f"找不到模板 '{error.name}'", f"there is no template '{error.name}'"),
            zh_en(
                '按 templates/ 下的文件名包含模板，例如 {% include "_card.html" %}；'
                "不能用 ..、绝对路径，也不能链接到网站文件夹以外",
                'include a template by its name under templates/, e.g. {% include "_card.html" %}: '
                "no `..`, no absolute path, no link to a file outside the site folder",
            ),
        )
    if isinstance(error, RecursionError):
        return (
            zh_en("模板反复包含或调用自己，没有尽头", "the template includes or calls itself without end"),
            zh_en(
                "检查这一行的 include、extends 或宏：模板不能包含自己，宏调用自己时要有停下来的条件",
                "check the include, extends or macro call on this line: a template must not include itself, "
                "and a macro that calls itself needs a condition that stops it",
            ),
        )
    if isinstance(error, jinja2.TemplateError):
        return zh_en("模板出错", f"template error: {error}"), _CHECK_LINE
    return (
        zh_en(
            f"模板这一行算不出结果（{type(error).__name__}: {error}）",
            f"this line of the template cannot be worked out ({type(error).__name__}: {error})",
        ),
        zh_en(
            "检查这一行的计算和过滤器：不能除以零，文字和数字不能相加（先用 |string 或 |int 转换）",
            "check the arithmetic and filters on this line: no division by zero, no text added to a number "
            "(convert one with |string or |int first)",
        ),
    )


_CHECK_LINE = zh_en(
    "检查模板里这一行用到的变量和标签", "check the variables and tags used on this line of the template"
)


def _template_problem(theme: Theme, filename: str | None, line: int | None, fault: tuple[str, str]) -> Problems:
    problems = Problems()
    shown = theme.shown(filename) if filename else f"themes/{theme.name}/templates"
    message, hint = fault
    problems.error(shown, line, message, hint)
    return problems
