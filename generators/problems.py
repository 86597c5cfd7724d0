"""A data problem with its place: what `make validate` prints, one per line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# error: stops the build; warning: fails strict builds (make validate, make site);
# notice: printed, never fails (e.g. a live rule citing a repealed one).
Severity = Literal["error", "warning", "notice"]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = {"warning": "警告:", "notice": "提示:"}.get(self.severity, "")
        return f"{self.file}:{self.line}:{self.col}: {self.path or '(文件)'}: {prefix}{self.message}"


def format_path(stem: str, path: tuple) -> str:
    """('rounds', 3, 'teams', 0, 'target') -> 'rounds[3].teams[0].target'."""
    out = stem
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


class DataError(Exception):
    """Raised when data/ has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
