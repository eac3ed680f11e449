"""Modules that can be saved as weights plus the arguments that rebuild them.

A ``Rebuildable`` module records the arguments it was constructed with. ``module_spec`` turns a
module into plain data (class path, arguments, nested specs for module arguments) and
``build_module`` rebuilds it, for this package's classes only. Saved with its ``state_dict``,
such a file loads with ``torch.load(weights_only=True)``: loading it runs no code from the file.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from torch import nn

PACKAGE = "shall_we_gans."


class Rebuildable(nn.Module):
    """Records ``self.init_args`` (every constructor argument, defaults included)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return
        signature = inspect.signature(init)

        def recording_init(self, *args: Any, **kw: Any) -> None:
            bound = signature.bind(self, *args, **kw)
            bound.apply_defaults()
            init(self, *args, **kw)
            self.init_args = dict(list(bound.arguments.items())[1:])

        recording_init.__doc__, recording_init.__wrapped__ = init.__doc__, init
        cls.__init__ = recording_init


def module_spec(module: nn.Module) -> dict[str, Any]:
    """``{"class": "pkg.mod:Name", "args": {...}}``; module arguments become nested specs."""
    if not isinstance(module, Rebuildable) or not hasattr(module, "init_args"):
        raise TypeError(f"{type(module).__name__} cannot be rebuilt from its arguments")
    args = {
        name: module_spec(value) if isinstance(value, nn.Module) else _plain(value)
        for name, value in module.init_args.items()
    }
    return {"class": f"{type(module).__module__}:{type(module).__qualname__}", "args": args}


def build_module(spec: dict[str, Any]) -> nn.Module:
    """Rebuild a module from ``module_spec``'s output (classes of this package only)."""
    path = spec["class"]
    module_name, _, class_name = path.partition(":")
    if not module_name.startswith(PACKAGE):
        raise ValueError(f"refusing to build {path!r}: not a class of this package")
    cls = getattr(importlib.import_module(module_name), class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, Rebuildable)):
        raise ValueError(f"refusing to build {path!r}: not a rebuildable module")
    args = {
        name: build_module(value) if isinstance(value, dict) and "class" in value else value
        for name, value in spec["args"].items()
    }
    return cls(**args)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"constructor argument {value!r} is not plain data")
