"""Why the browser editor did not write a save: a message and a hint, in Chinese and English."""

from __future__ import annotations

from sitegen.errors import Problem


class Refusal(Exception):
    """A save, upload or read refused; nothing on disk changed. `status` is the HTTP status the
    editor receives, `problems` the site's checks that failed, when those were the reason."""

    def __init__(self, message: str, hint: str = "", status: int = 422, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.status = status
        self.problems = problems or []

    def shown(self) -> str:
        """The text the editor shows: the message, the hint, then each further problem."""
        lines = [self.message]
        if self.hint:
            lines.append(f"hint: {self.hint}")
        for problem in self.problems[1:]:
            lines.append(problem.format())
        return "\n".join(lines)
