"""The base of every typed settings object (parameter blocks, monitoring, classifier and
adaptation settings): unknown keys are errors (a typo never passes silently), and so are
infinite or NaN numbers and ``true``/``false`` where a number belongs (pydantic would read
``batch_size: true`` as 1). Imports nothing of the project but ``runtime``, so the science
modules and ``params`` can both build on it."""

from __future__ import annotations

from collections.abc import Mapping
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import ArgsKwargs, InitErrorDetails, PydanticCustomError

from shall_we_gans.runtime import check_device_available

# auto, cpu, cuda, cuda:N, mps; cuda and mps only where this machine has them
Device = Annotated[str, AfterValidator(check_device_available)]
Seed = Field(ge=0, description="seed of every random draw of this block")
BOOL_FOR_NUMBER = "Input should be a number, not true/false"
_SEQUENCES = (list, tuple, set, frozenset)


def bool_where_number(annotation: Any, value: Any) -> bool:
    """Whether ``value`` holds a bool where ``annotation`` wants an int or a float (also inside
    lists, tuples, dicts and optional types). Integral floats such as ``1e9`` stay valid ints."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return bool_where_number(args[0], value)
    if origin in (Union, UnionType):
        return bool not in args and any(bool_where_number(a, value) for a in args)
    if isinstance(value, bool):
        return annotation in (int, float)
    if origin in _SEQUENCES and args and isinstance(value, list | tuple):
        fixed = origin is tuple and Ellipsis not in args
        types = args if fixed else (args[0],) * len(value)
        return any(bool_where_number(t, v) for t, v in zip(types, value, strict=False))
    if origin is dict and len(args) == 2 and isinstance(value, Mapping):
        return any(bool_where_number(args[1], v) for v in value.values())
    return False


def refuse_bools_for_numbers(model: type, fields: Mapping[str, FieldInfo], data: Any) -> Any:
    """``data`` (a model's raw input) unchanged, or a ``ValidationError`` naming each field
    that holds a bool where a number belongs (a model validator: a discriminator field takes no
    field validator)."""
    values = data.kwargs if isinstance(data, ArgsKwargs) else data
    if not isinstance(values, Mapping):
        return data
    errors = [
        InitErrorDetails(
            type=PydanticCustomError("bool_for_number", BOOL_FOR_NUMBER), loc=(name,), input=value
        )
        for name, value in values.items()
        if name in fields and bool_where_number(fields[name].annotation, value)
    ]
    if errors:
        raise ValidationError.from_exception_data(model.__name__, errors)
    return data


class Block(BaseModel):
    """A typed settings block: frozen, unknown keys, non-finite numbers and bools for numbers
    refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_not_bools(cls, data: Any) -> Any:
        return refuse_bools_for_numbers(cls, cls.model_fields, data)
