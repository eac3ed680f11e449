"""Where a run's parameters come from: its profile (``--env``) and what changed that profile's
own parameters (``--params``, ``conf/local``). Written as run tags by the project's MLflow hook
and read back by the report."""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_TAG = "shall_we_gans.env"  # the profile: conf/<env> over conf/base
OVERRIDES_TAG = "shall_we_gans.overrides"  # JSON {dotted key: value} of `--params`
LOCAL_TAG = "shall_we_gans.local_overrides"  # JSON {dotted key: value} of conf/local
BASE = "base"
DEFAULT_RUN_ENV = "local"  # settings.py: Kedro's run env when `--env` is not given
MAX_VALUE, MAX_TAG = 80, 5000  # MLflow refuses tag values above 8,000 characters


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat |= flatten(value, f"{path}.")
        else:
            flat[path] = value
    return flat


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= MAX_VALUE else f"{text[:40]}… ({len(text)} characters)"


def _encode(tree: Mapping[str, Any] | None) -> str:
    """A tag value: the flattened keys with shortened values, as JSON ("{}" for none)."""
    flat = {k: _short(v) for k, v in sorted(flatten(tree or {}).items())}
    text = json.dumps(flat, ensure_ascii=False)
    return text if len(text) <= MAX_TAG else json.dumps(dict.fromkeys(flat, "…"))[:MAX_TAG]


def profile_of(env: str | None) -> str:
    """The profile a run's ``--env`` names (none, or ``local``: ``base``)."""
    return BASE if env in (None, "", DEFAULT_RUN_ENV) else env


def run_tags(
    env: str | None, runtime_params: Mapping[str, Any] | None, local: Mapping[str, Any]
) -> dict[str, str]:
    """The tags that say which profile a run used and what overrode its parameters."""
    return {
        ENV_TAG: profile_of(env),
        OVERRIDES_TAG: _encode(runtime_params),
        LOCAL_TAG: _encode(local),
    }


def local_overrides(config_loader: Any) -> dict[str, Any]:
    """The parameters ``conf/local`` sets in this run (none when ``--env`` names a profile:
    Kedro then reads that profile's folder instead of ``conf/local``)."""
    from kedro.config import MissingConfigException, OmegaConfigLoader

    run_env = config_loader.env or config_loader.default_run_env
    if run_env != config_loader.default_run_env or run_env == config_loader.base_env:
        return {}
    local = OmegaConfigLoader(
        conf_source=str(config_loader.conf_source),
        base_env=run_env,
        default_run_env=run_env,
        config_patterns=config_loader.config_patterns,
    )
    try:
        return dict(local["parameters"])
    except MissingConfigException:  # no conf/local folder
        return {}
    except Exception:  # noqa: BLE001 - e.g. ${globals:...} only conf/base resolves
        return _raw_parameters(Path(str(config_loader.conf_source)) / run_env)


def _raw_parameters(folder: Path) -> dict[str, Any]:
    """The keys the ``parameters*`` YAML files under ``folder`` set, unresolved (interpolations
    kept as written); a file that does not parse is named instead of its keys."""
    import yaml

    found: dict[str, Any] = {}
    for path in sorted({*folder.rglob("parameters*.y*ml"), *folder.glob("parameters*/**/*.y*ml")}):
        try:
            tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeError, yaml.YAMLError):
            found[str(path.relative_to(folder))] = "(unreadable)"
            continue
        found |= flatten(tree) if isinstance(tree, Mapping) else {}
    return found


@dataclass(frozen=True)
class Provenance:
    """A run's profile and the parameters that differed from it (key -> value as logged);
    ``local`` is None for a run recorded before conf/local was tagged."""

    profile: str
    overrides: dict[str, str]
    local: dict[str, str] | None

    @property
    def changed(self) -> dict[str, str]:
        """Every parameter that differed from the profile's own."""
        return self.overrides | (self.local or {})

    def describe(self) -> str:
        """``profile `base`, `--params` a.b=1`` or ``profile `cpu`, its own parameters``."""
        parts = [f"profile `{self.profile}`"]
        for source, changed in (("`--params`", self.overrides), ("conf/local", self.local)):
            if changed:
                parts.append(f"{source} " + ", ".join(f"{k}={v}" for k, v in changed.items()))
        if not self.changed:
            parts.append("its own parameters")
        if self.local is None:
            parts.append("conf/local not recorded")
        return ", ".join(parts)


def _decode(text: str) -> dict[str, str]:
    try:
        flat = json.loads(text)
    except ValueError:
        return {"(unreadable tag)": _short(text)}
    return {str(k): str(v) for k, v in flat.items()} if isinstance(flat, dict) else {}


def _kedro_mlflow_overrides(tags: Mapping[str, str]) -> dict[str, str]:
    """kedro-mlflow's own ``runtime_params`` tag (a Python dict's repr, set only when given)."""
    text = tags.get("runtime_params")
    if not text:
        return {}
    try:
        tree = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return {"runtime_params": _short(text)}
    return {k: _short(v) for k, v in flatten(tree).items()} if isinstance(tree, dict) else {}


def provenance(tags: Mapping[str, str]) -> Provenance:
    """Read a run's provenance from its tags; a run from before this project tagged it falls
    back on kedro-mlflow's ``env`` and ``runtime_params`` tags."""
    if ENV_TAG in tags:
        local = _decode(tags.get(LOCAL_TAG, "{}"))
        return Provenance(tags[ENV_TAG], _decode(tags.get(OVERRIDES_TAG, "{}")), local)
    return Provenance(profile_of(tags.get("env")), _kedro_mlflow_overrides(tags), None)
