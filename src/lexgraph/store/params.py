"""One style of parameter check for every estimator: a constraint table and one message template.

An estimator lists ``_parameter_constraints = {name: rule}`` (scikit-learn's convention, as
in its HDBSCAN port) and ``fit`` starts with :func:`check_params`; every violation reads
``"Owner: name (value) must be <rule>"``, so the message names the parameter, the value
given and what would be accepted.  It sits in the base package because every package with
an estimator may import ``lexgraph.store`` and nothing else in common.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Integral
from typing import Any


@dataclass(frozen=True)
class Interval:
    """An integer (``Integral``) or a number (``Real``) between ``lo`` and ``hi`` (None: unbounded)."""

    kind: type
    lo: float | None = None
    hi: float | None = None
    closed: str = "both"              # 'both', 'left', 'right' or 'neither'
    none_ok: bool = False

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.none_ok
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        lo_ok = self.lo is None or (value >= self.lo if self.closed in ("both", "left") else value > self.lo)
        hi_ok = self.hi is None or (value <= self.hi if self.closed in ("both", "right") else value < self.hi)
        return lo_ok and hi_ok

    def describe(self) -> str:
        what = "an integer" if self.kind is Integral else "a number"
        left = "[" if self.closed in ("both", "left") and self.lo is not None else "("
        right = "]" if self.closed in ("both", "right") and self.hi is not None else ")"
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        return f"{'None or ' if self.none_ok else ''}{what} in {left}{lo}, {hi}{right}"


@dataclass(frozen=True)
class Options:
    """One of ``values`` (compared with ==)."""

    values: tuple[Any, ...]

    def accepts(self, value: Any) -> bool:
        return any(value is v or (isinstance(value, type(v)) and value == v) for v in self.values)

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class Satisfies:
    """Anything ``test`` accepts, described in words."""

    test: Callable[[Any], bool]
    description: str

    def accepts(self, value: Any) -> bool:
        return bool(self.test(value))

    def describe(self) -> str:
        return self.description


#: A boolean flag.
BOOLEAN = Satisfies(lambda v: isinstance(v, bool) or type(v).__name__ == "bool_", "True or False")

Rule = Interval | Options | Satisfies


def check_params(owner: object, params: Mapping[str, Any], constraints: Mapping[str, Rule]) -> None:
    """Raise one ValueError for the first of ``params`` that breaks its rule in ``constraints``.

    ``owner`` names the estimator in the message (its class name, or a string).
    """
    name_of = owner if isinstance(owner, str) else type(owner).__name__
    for name, rule in constraints.items():
        if name in params and not rule.accepts(params[name]):
            raise ValueError(f"{name_of}: {name} ({params[name]!r}) must be {rule.describe()}")
