"""The engines' shared vocabulary: ids, messages a page can translate, and the input error type.

A message carries a stable code, the input field it is about, an English template (the msgid, marked with
N_ so Babel extracts it) and its parameters: `message.render(gettext)` gives it in the user's language.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

# Entries, jurors, films, organisations, participants: whatever the domain uses as keys (ints, strs...).
# The engines never sort ids; they keep the order of the input, so results are deterministic.
Id: TypeAlias = Hashable
Param: TypeAlias = str | int | float


def N_(message: str) -> str:  # noqa: N802 (gettext_noop: marks a msgid for extraction, translated later)
    return message


@dataclass(frozen=True, eq=True)
class Message:
    """One explained fact or problem: `field` names the input it is about ("" when none)."""

    code: str
    template: str
    params: Mapping[str, Param] = dataclasses.field(default_factory=dict, hash=False)
    field: str = ""
    subjects: tuple[Id, ...] = ()  # the ids concerned (entries, jurors, films...), for links on a page

    @property
    def message(self) -> str:
        return self.render(lambda text: text)

    def render(self, gettext: Callable[[str], str], number: Callable[[float], str] | None = None) -> str:
        """The message in the user's language; `number` formats the decimals (e.g. Babel's format_decimal
        for the locale: 6,24 in French); by default at most two decimals, no trailing zeros."""
        translated = gettext(self.template)
        if not self.params:
            return translated
        shown = number or plain_number
        values = {k: shown(v) if isinstance(v, float) else v for k, v in self.params.items()}
        return translated % values

    def __str__(self) -> str:
        return self.message


class EngineInputError(ValueError):
    """The input cannot be used as given; `problems` says what, field by field. Nothing was computed."""

    def __init__(self, problems: Iterable[Message]) -> None:
        self.problems: tuple[Message, ...] = tuple(problems)
        super().__init__(
            "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in self.problems)
        )

    @property
    def fields(self) -> dict[str, list[Message]]:
        """Problems by field, the way a form shows them."""
        out: dict[str, list[Message]] = {}
        for p in self.problems:
            out.setdefault(p.field, []).append(p)
        return out


def plain_number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def names(ids: Iterable[Id], limit: int = 10) -> str:
    """The ids as a short, readable list for a message ("a, b, c and 4 more" is left to the page)."""
    items = [str(i) for i in ids]
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown}, … (+{len(items) - limit})"


def mmss(seconds: float) -> str:
    """A duration as minutes:seconds (96:30), language-neutral for messages."""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{total // 60}:{total % 60:02d}"


def as_number(value: object) -> float | None:
    """A finite real number given as int or float (not bool, not text), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
