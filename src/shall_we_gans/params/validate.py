"""Validate every known parameter block and report all problems at once, by key path."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

import shall_we_gans.params as _package


class ParameterError(ValueError):
    """One or more parameters are invalid; the message names each key path."""


def _collect_schemas() -> dict[str, type[BaseModel]]:
    schemas: dict[str, type[BaseModel]] = {}
    for info in pkgutil.iter_modules(_package.__path__):
        module = importlib.import_module(f"{_package.__name__}.{info.name}")
        schemas.update(getattr(module, "SCHEMAS", {}))
    return schemas


SCHEMAS: dict[str, type[BaseModel]] = _collect_schemas()


def _describe(key: str, error: Mapping[str, Any]) -> str:
    path = ".".join([key, *(str(p) for p in error["loc"])])
    message = error["msg"].removeprefix("Value error, ")
    if isinstance(error["input"], Mapping | list):  # a rule on a whole block: name the block
        return f"{path}: {message}"
    return f"{path}: {message} (got {error['input']!r})"


def validate_parameters(params: Mapping[str, Any]) -> dict[str, BaseModel]:
    """Validate each block of ``params`` that has a schema; return the typed blocks.

    Raises ``ParameterError`` listing every invalid key path, its rule and the value found, and
    every top-level block that no schema knows (a misspelled block never passes silently).
    """
    known = ", ".join(sorted(SCHEMAS))
    errors: list[str] = [
        f"{key}: no pipeline reads this parameter block (known blocks: {known})"
        for key in sorted(set(params) - set(SCHEMAS))
    ]
    typed: dict[str, BaseModel] = {}
    for key, model in SCHEMAS.items():
        if key not in params:
            continue
        try:
            typed[key] = model.model_validate(params[key])
        except ValidationError as exc:
            errors.extend(_describe(key, e) for e in exc.errors())
    if errors:
        raise ParameterError("Invalid parameters:\n  - " + "\n  - ".join(errors))
    return typed
