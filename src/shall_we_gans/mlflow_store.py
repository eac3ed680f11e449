"""The local MLflow store: a readable ``mlflow.db`` and artifact folders inside this project,
checked before a run opens (``preflight``), and ``relocate`` for a copied project.

MLflow stores an experiment's artifact location as an absolute path when the experiment is
created (kedro-mlflow resolves ``mlflow.yml``'s relative ``artifact_location`` against the
project), and each run's artifact URI under it. A project copied with its ``mlflow.db`` would
go on writing into the original's folders; ``python -m shall_we_gans.mlflow_store relocate``
points those paths at the copy's own ``mlruns/`` and ``mlartifacts/``, in one transaction.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

ARTIFACT_FOLDERS = ("mlartifacts", "mlruns")  # where this project's artifacts live
# (table, key column, location column) holding absolute artifact paths
LOCATION_COLUMNS = (
    ("experiments", "experiment_id", "artifact_location"),
    ("runs", "run_uuid", "artifact_uri"),
    ("logged_models", "model_id", "artifact_location"),
)


def sqlite_file(tracking_uri: str | None) -> Path | None:
    """The database file of a ``sqlite:///`` tracking URI (relative: to the working folder,
    as sqlite opens it), else ``None``."""
    if not tracking_uri or not tracking_uri.startswith("sqlite:///"):
        return None
    return Path.cwd() / tracking_uri.removeprefix("sqlite:///").partition("?")[0]


@contextmanager
def _connect(db: Path, read_only: bool = True) -> Iterator[sqlite3.Connection]:
    uri = db.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        yield conn


def check_readable(db: Path) -> None:
    """``ValueError`` naming ``db`` when sqlite cannot read it or finds it damaged."""
    try:
        with _connect(db) as conn:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        verdict = f"{type(exc).__name__}: {exc}"
    if verdict != "ok":
        raise ValueError(
            f"{db}: not a readable MLflow database ({verdict}); move it aside (the next run "
            "starts a new one) or restore it from a backup"
        )


def local_path(location: str | None) -> Path | None:
    """The folder of a local artifact location (a path or a ``file:`` URI), else ``None``."""
    if not location:
        return None
    parsed = urlparse(location)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    return Path(location) if parsed.scheme == "" else None


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path.resolve().is_relative_to(root.resolve()) for root in roots)


def foreign_locations(db: Path, roots: list[Path], prefix: str) -> list[tuple[str, str]]:
    """``(experiment name, location)`` of each experiment of this project (named ``prefix``
    or ``prefix.<study>``) whose local artifact location lies outside every folder of
    ``roots``."""
    with _connect(db) as conn:
        if not _has_table(conn, "experiments"):
            return []
        rows = conn.execute("SELECT name, artifact_location FROM experiments").fetchall()
    return [
        (name, location)
        for name, location in rows
        if name == prefix or name.startswith(f"{prefix}.")
        if (path := local_path(location)) is not None and not _inside(path, roots)
    ]


def relocated(location: str, project: Path) -> str | None:
    """``location`` moved into ``project``: the part from its ``mlruns``/``mlartifacts``
    folder on, under ``project``, in the same form (path or ``file:`` URI); ``None`` when it
    is not local or holds no such folder."""
    path = local_path(location)
    if path is None:
        return None
    parts = path.parts
    start = next((i for i, part in enumerate(parts) if part in ARTIFACT_FOLDERS), None)
    if start is None:
        return None
    moved = project.resolve().joinpath(*parts[start:])
    return moved.as_uri() if location.startswith("file:") else str(moved)


def relocate(db: Path, project: Path) -> dict[str, int]:
    """Point every local artifact location of ``db`` outside ``project`` at the same folder
    inside it (``relocated``), in one transaction; rows changed per table."""
    check_readable(db)
    changed: dict[str, int] = {}
    with _connect(db, read_only=False) as conn, conn:
        for table, key, column in LOCATION_COLUMNS:
            if _has_table(conn, table):
                changed[table] = _relocate_rows(conn, table, key, column, project)
    return changed


def _relocate_rows(
    conn: sqlite3.Connection, table: str, key: str, column: str, project: Path
) -> int:
    count = 0
    for row_key, location in conn.execute(f"SELECT {key}, {column} FROM {table}").fetchall():
        path = local_path(location)
        if path is None or _inside(path, [project]):
            continue
        new = relocated(location, project)
        if new is not None:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (new, row_key))
            count += 1
    return count


def _has_table(conn: sqlite3.Connection, table: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(query, (table,)).fetchone() is not None


def main(argv: list[str] | None = None) -> None:
    """``python -m shall_we_gans.mlflow_store relocate [--db mlflow.db] [--project .]``."""
    parser = argparse.ArgumentParser(prog="python -m shall_we_gans.mlflow_store")
    parser.add_argument("command", choices=["relocate"])
    parser.add_argument("--db", type=Path, default=Path("mlflow.db"))
    parser.add_argument("--project", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    try:
        changed = relocate(args.db, args.project)
    except ValueError as exc:
        parser.exit(1, f"error: {exc}\n")
    counts = ", ".join(f"{n} {table}" for table, n in changed.items())
    print(f"{args.db}: artifact locations now inside {args.project.resolve()} ({counts})")


if __name__ == "__main__":
    main()
