"""Command-line options generated from parameter dataclasses, so each parameter has one home.

A dataclass field whose metadata has a ``help`` is an option: ``--field-name`` (or the
metadata's ``flag``), with the field's type, default and help; a bool field is a
``--name/--no-name`` switch. A command decorated with :func:`with_options` receives these
values in its ``**options`` and passes them to the dataclass, which validates them.
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Callable, Collection
from typing import Any, TypeVar

import typer

Command = TypeVar("Command", bound=Callable[..., Any])


def dataclass_options(cls: type, exclude: Collection[str] = ()) -> list[inspect.Parameter]:
    """One keyword-only parameter, with a ``typer.Option`` default, per option field of ``cls``."""
    hints = typing.get_type_hints(cls)
    params = []
    for f in dataclasses.fields(cls):
        if f.name in exclude or "help" not in f.metadata:
            continue
        flag = f.metadata.get("flag", "--" + f.name.replace("_", "-"))
        if hints[f.name] is bool:
            flag = f"{flag}/--no-{flag.removeprefix('--')}"
        option = typer.Option(f.default, flag, help=f.metadata["help"], show_default=f.default is not None)
        params.append(inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=option,
                                        annotation=hints[f.name]))
    return params


def with_options(*classes: type, exclude: Collection[str] = ()) -> Callable[[Command], Command]:
    """Give the decorated command the option fields of ``classes`` (received in its ``**options``).

    They are listed where the command's own keyword-only parameters start (after ``*``).
    """

    def decorate(command: Command) -> Command:
        sig = inspect.signature(command, eval_str=True)
        own = [p for p in sig.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        at = next((i for i, p in enumerate(own) if p.kind is inspect.Parameter.KEYWORD_ONLY), len(own))
        generated = [p for cls in classes for p in dataclass_options(cls, exclude)]
        command.__signature__ = sig.replace(parameters=[*own[:at], *generated, *own[at:]])  # type: ignore[attr-defined]
        return command

    return decorate


def given(**values: Any) -> dict[str, Any]:
    """The options a user gave (not None): for a library call whose own defaults hold for the rest."""
    return {k: v for k, v in values.items() if v is not None}
