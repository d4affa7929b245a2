"""Errors a contributor can cause, worded for people who are not programmers.

Every problem names the file and line, says what is wrong and how to fix it, in
English and in Thai."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    en: str
    th: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.en}\n{self.path}:{self.line}: {self.th}"


class ReportError(Exception):
    """One or more problems that stop a report from being published."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class VocabularyError(Exception):
    """The vocabulary file itself is invalid (a maintainer's mistake)."""
