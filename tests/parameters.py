"""The project's parameters as tests read them: conf/base, with one value changed."""

from __future__ import annotations

import copy

import yaml

from tests.kedro_project import PROJECT_ROOT


def base_parameters() -> dict:
    params: dict = {}
    for path in sorted((PROJECT_ROOT / "conf/base").glob("parameters*.yml")):
        params.update(yaml.safe_load(path.read_text()) or {})
    return params


def with_value(params: dict, dotted: str, value) -> dict:
    out = copy.deepcopy(params)
    *parents, last = dotted.split(".")
    node = out
    for key in parents:
        node = node[key]
    node[last] = value
    return out
