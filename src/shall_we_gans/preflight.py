"""Checks made before a run opens, each refused with one message (``click.ClickException``)
instead of a traceback, or a failure after training:

- when the context is made: ``SWG_TORCH_THREADS`` is a positive whole number; every YAML file
  of ``conf/`` parses (the message names the file and line); ``mlflow.db`` is readable and
  keeps its artifacts inside this project (a copied project would write into the original's);
- before the pipeline runs (before kedro-mlflow opens a run): every ``--load-versions``
  version exists (else the saved versions are listed), and the folders the pipeline writes to
  (its datasets' and, where ``checkpoint_every`` is set, its ``checkpoint_dir``) can be written
  (a probe file, removed).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import click
import yaml
from kedro.config import MissingConfigException
from kedro.framework.hooks import hook_impl

from shall_we_gans import mlflow_store
from shall_we_gans.cpu import threads_from_env
from shall_we_gans.io.atomic import saved_versions

PROBE_BYTES = 1 << 20  # written and removed in each output folder: a full disk fails here


class PreflightHook:
    """The checks above, first among the project's hooks (``tryfirst``)."""

    @hook_impl(tryfirst=True)
    def after_context_created(self, context) -> None:
        try:
            threads_from_env()
            check_config_files(context.config_loader, Path(context.project_path))
            check_tracking_store(context.config_loader, Path(context.project_path))
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None

    @hook_impl(tryfirst=True)
    def before_pipeline_run(self, run_params: dict[str, Any], pipeline, catalog) -> None:
        try:
            check_load_versions(run_params.get("load_versions") or {}, catalog)
            project = Path(run_params.get("project_path") or Path.cwd())
            folders = output_folders(pipeline, catalog) | checkpoint_folders(pipeline, catalog)
            check_writable(folders, project)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None


def _shown(path: Path | str, project: Path) -> str:
    path = Path(path)
    try:
        return str(path.resolve().relative_to(project.resolve()))
    except ValueError:
        return str(path)


def yaml_error_message(exc: yaml.YAMLError, project: Path, conf: Path | None = None) -> str:
    """``FILE, line L, column C: problem`` of a YAML error raised by Kedro's config loader
    (Kedro names the file of a syntax error only; for others, e.g. a duplicate key, the file is
    found by loading each of ``conf/`` on its own)."""
    cause = exc.__cause__ if isinstance(exc.__cause__, yaml.YAMLError) else exc
    found = re.search(r"file (.+?), unable to read", str(exc))
    if found is None:
        located = _failing_yaml_file(conf or project / "conf")
        if located is not None:
            path, cause = located
            return yaml_error_message_for(cause, _shown(path, project))
        return yaml_error_message_for(cause, "a file under conf/")
    return yaml_error_message_for(cause, _shown(found.group(1), project))


def _failing_yaml_file(conf: Path) -> tuple[Path, yaml.YAMLError] | None:
    """The first YAML file under ``conf`` that does not load, with its error."""
    from omegaconf import OmegaConf

    for path in sorted({*conf.rglob("*.yml"), *conf.rglob("*.yaml")}):
        try:
            OmegaConf.load(path)
        except yaml.YAMLError as exc:
            return path, exc
        except Exception:  # noqa: BLE001, S112 - not a YAML problem: Kedro reports it
            continue
    return None


def yaml_error_message_for(cause: yaml.YAMLError, where: str) -> str:
    """``WHERE, line L, column C: invalid YAML: problem (context)``."""
    mark = getattr(cause, "problem_mark", None)
    if mark is not None:
        where += f", line {mark.line + 1}, column {mark.column + 1}"
    problem = getattr(cause, "problem", None) or str(cause)
    context = getattr(cause, "context", None)
    problem += f" ({context})" if context else ""
    return f"{where}: invalid YAML: {problem}"


def check_config_files(loader: Mapping[str, Any], project: Path) -> None:
    """Load every kind of configuration once; a YAML error is a ``ValueError`` naming the file
    and line (Kedro's own would end a long traceback)."""
    for kind in getattr(loader, "config_patterns", {}):
        try:
            loader[kind]
        except MissingConfigException:
            continue
        except yaml.YAMLError as exc:
            conf = Path(str(getattr(loader, "conf_source", project / "conf")))
            raise ValueError(yaml_error_message(exc, project, conf)) from None


def check_tracking_store(loader: Mapping[str, Any], project: Path) -> None:
    """A local ``mlflow.db`` must be readable and keep this project's experiments' artifacts
    in the project (or in the configured ``artifact_location``)."""
    try:
        config = loader["mlflow"] or {}
    except MissingConfigException:
        return
    uri = (config.get("server") or {}).get("mlflow_tracking_uri")
    db = mlflow_store.sqlite_file(uri or os.environ.get("MLFLOW_TRACKING_URI"))
    if db is None or not db.is_file() or db.stat().st_size == 0:
        return
    mlflow_store.check_readable(db)
    experiment = (config.get("tracking") or {}).get("experiment") or {}
    roots = [project]
    configured = mlflow_store.local_path(
        (experiment.get("create_experiment_kwargs") or {}).get("artifact_location")
    )
    if configured is not None:
        roots.append(project / configured)
    foreign = mlflow_store.foreign_locations(db, roots, experiment.get("name") or "")
    if foreign:
        raise ValueError(_copied_store_message(_shown(db, project), foreign, project))


def _copied_store_message(db: str, foreign: list[tuple[str, str]], project: Path) -> str:
    name, location = foreign[0]
    more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
    return (
        f"{db}: experiment {name!r}{more} keeps its artifacts in {location}, outside this "
        f"project ({project.resolve()}): this mlflow.db was copied from another project, whose "
        "folders its runs would write into. Run `python -m shall_we_gans.mlflow_store "
        "relocate` here to point them at this project's mlruns/ and mlartifacts/, or move "
        "mlflow.db aside to start a new one"
    )


def check_load_versions(load_versions: Mapping[str, str], catalog) -> None:
    """Every ``--load-versions DATASET:VERSION`` names a version saved on disk."""
    for name, version in load_versions.items():
        dataset = catalog.get(name)
        if dataset is None or getattr(dataset, "_version", None) is None:
            continue  # Kedro names a dataset that is not in the catalog
        path = dataset._get_versioned_path(version)
        if dataset._exists_function(str(path)):
            continue
        versions = saved_versions(dataset)
        listed = ", ".join(versions[:10]) + (", ..." if len(versions) > 10 else "")
        raise ValueError(
            f"--load-versions {name}:{version}: no such version ({path} does not exist); "
            + (f"saved versions, newest first: {listed}" if versions else "none is saved yet")
        )


def output_folders(pipeline, catalog) -> set[Path]:
    """The local folders the datasets of ``pipeline``'s outputs write into."""
    folders = set()
    for name in pipeline.all_outputs():
        dataset = catalog.get(name)
        if dataset is None or getattr(dataset, "_protocol", "file") not in ("file", "local"):
            continue
        if getattr(dataset, "_filepath", None) is not None:
            path = Path(str(dataset._filepath))
            folders.add(path if getattr(dataset, "_version", None) is not None else path.parent)
        elif isinstance(getattr(dataset, "_path", None), Path):
            folders.add(dataset._path)
    return folders


def checkpoint_folders(pipeline, catalog) -> set[Path]:
    """The ``checkpoint_dir`` of every parameter block the pipeline reads whose
    ``checkpoint_every`` is set (trainings save checkpoints there during the run)."""
    folders: set[Path] = set()

    def walk(block: Any) -> None:
        if isinstance(block, Mapping):
            if block.get("checkpoint_every") and block.get("checkpoint_dir"):
                folders.add(Path(str(block["checkpoint_dir"])))
            for value in block.values():
                walk(value)

    for name in pipeline.inputs():
        if name.startswith("params:") and catalog.get(name) is not None:
            walk(catalog.load(name))
    return folders


def check_writable(folders: Iterable[Path], project: Path) -> None:
    """Write and remove a probe file in each folder (or the nearest one that exists: saving
    creates the rest); ``ValueError`` naming the first that fails (read-only, full), relative
    to ``project``."""
    for folder in sorted({_existing(Path(f)) for f in folders}):
        try:
            _probe(folder)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ValueError(
                f"cannot write to {_shown(folder, project)} ({reason}): the run would fail at "
                "its first save "
                "there, after training; make it writable or free space, then rerun"
            ) from None


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _probe(folder: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=".write-check-", dir=folder)
    try:
        left = memoryview(bytes(PROBE_BYTES))
        while left:  # a write cut short by a limit fails on the next one
            left = left[os.write(fd, left) :]
        os.fsync(fd)
    finally:
        os.close(fd)
        os.unlink(name)
