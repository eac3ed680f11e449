"""Refused before a run opens, with one message (``shall_we_gans.preflight``): a bad
``SWG_TORCH_THREADS``, a malformed YAML file, an unreadable or copied ``mlflow.db``, a missing
``--load-versions`` version, and output folders that cannot be written."""

from __future__ import annotations

import resource
import shutil
import signal
import sqlite3
from pathlib import Path

import click
import pytest
from kedro.framework.project import settings
from kedro.framework.startup import bootstrap_project

from shall_we_gans import cpu, mlflow_store
from shall_we_gans.preflight import check_writable, checkpoint_folders
from tests.kedro_project import copy_project, mlflow_runs


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A fresh copy of the project, the working folder."""
    copied = copy_project(tmp_path / "project")
    monkeypatch.chdir(copied)
    return copied


def refusal(project: Path, pipeline: str = "gaussian_2d", **run_args) -> str:
    """The one-line message that stops ``pipeline`` before anything is written or tracked."""
    bootstrap_project(project)
    db = project / "mlflow.db"
    before = db.read_bytes() if db.is_file() else None
    files = sorted((project / "data").rglob("*"))
    session = settings.SESSION_CLASS.create(project_path=project)
    with pytest.raises(click.ClickException) as err, session:
        session.run(pipeline_names=[pipeline], **run_args)
    assert sorted((project / "data").rglob("*")) == files  # nothing written
    if before is None or before.startswith(b"SQLite format 3"):
        assert not db.is_file() or not mlflow_runs(project)
    else:
        assert db.read_bytes() == before  # left as it was
    assert "\n" not in err.value.message
    return err.value.message


@pytest.mark.parametrize("value", ["abc", "-3", "0", "2.5"])
def test_a_bad_thread_count_is_refused_in_one_line(monkeypatch, value):
    monkeypatch.setenv(cpu.THREADS_ENV, value)
    with pytest.raises(ValueError, match=f"SWG_TORCH_THREADS='{value}': expected a positive"):
        cpu.threads_for("training")
    monkeypatch.setenv(cpu.THREADS_ENV, " 2 ")
    assert cpu.threads_for("training") == 2


def test_a_bad_thread_count_stops_kedro_run(project, monkeypatch):
    monkeypatch.setenv(cpu.THREADS_ENV, "abc")
    assert refusal(project).startswith("SWG_TORCH_THREADS='abc'")


@pytest.mark.parametrize(
    ("added", "word"),
    [
        (["  broken: [1, 2", "oops: 1"], "invalid YAML"),
        (["twice: 1", "twice: 2"], "twice"),  # a duplicate key: Kedro does not name the file
    ],
)
def test_malformed_yaml_names_the_file_and_line(project, added, word):
    path = project / "conf/base/parameters_gaussian_2d.yml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, *added]) + "\n")
    message = refusal(project)
    assert message.startswith(f"conf/base/parameters_gaussian_2d.yml, line {len(lines) + 2}")
    assert "invalid YAML" in message and word in message


def test_a_corrupt_mlflow_db_is_named(project):
    (project / "mlflow.db").write_bytes(b"this is not a database" * 100)
    message = refusal(project)
    assert message.startswith(f"{project / 'mlflow.db'}: not a readable MLflow database")


def experiment_locations(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT name, artifact_location FROM experiments"))


def test_artifacts_go_to_mlartifacts_and_a_copied_db_is_relocated(tmp_path, monkeypatch):
    original = copy_project(tmp_path / "original")
    monkeypatch.chdir(original)
    bootstrap_project(original)
    with settings.SESSION_CLASS.create(project_path=original) as session:
        session.load_context()  # kedro-mlflow creates the experiment
    location = experiment_locations(original / "mlflow.db")["shall_we_gans"]
    assert location == (original / "mlartifacts").as_uri()  # what mlflow.yml says

    copied = copy_project(tmp_path / "copied")
    shutil.copy(original / "mlflow.db", copied / "mlflow.db")
    monkeypatch.chdir(copied)
    message = refusal(copied)
    assert f"experiment 'shall_we_gans' keeps its artifacts in {location}, outside" in message
    assert f"outside this project ({copied})" in message
    assert "python -m shall_we_gans.mlflow_store relocate" in message

    mlflow_store.main(["relocate", "--db", str(copied / "mlflow.db"), "--project", str(copied)])
    assert experiment_locations(copied / "mlflow.db")["shall_we_gans"] == (
        (copied / "mlartifacts").as_uri()
    )
    with settings.SESSION_CLASS.create(project_path=copied) as session:
        session.load_context()  # accepted now
    assert experiment_locations(original / "mlflow.db")["shall_we_gans"] == location


def test_relocate_moves_paths_from_their_artifact_folder_on(tmp_path):
    project = tmp_path / "copy"
    old = "/elsewhere/project/mlruns/3/abc/artifacts"
    assert mlflow_store.relocated(old, project) == str(project / "mlruns/3/abc/artifacts")
    assert mlflow_store.relocated("s3://bucket/mlruns/3", project) is None
    assert mlflow_store.relocated("/data/no-artifact-folder", project) is None


def test_a_missing_version_lists_the_saved_ones(project):
    saved = project / "data/06_models/gaussian_2d_generator.pt"
    for version in ("2024-01-01T00.00.00.000Z", "2025-01-01T00.00.00.000Z"):
        (saved / version).mkdir(parents=True)
        (saved / version / "gaussian_2d_generator.pt").write_bytes(b"weights")
    wanted = {"gaussian_2d_generator": "2023-01-01T00.00.00.000Z"}
    message = refusal(project, load_versions=wanted)
    assert message.startswith(
        "--load-versions gaussian_2d_generator:2023-01-01T00.00.00.000Z: no such version"
    )
    assert message.endswith("newest first: 2025-01-01T00.00.00.000Z, 2024-01-01T00.00.00.000Z")


def test_an_output_folder_that_cannot_be_written_stops_the_run_first(project):
    (project / "data/08_reporting").write_text("a file where the folder should be")
    message = refusal(project)
    assert message.startswith("cannot write to data/08_reporting (Not a directory)")


def test_checkpoint_folders_are_those_of_blocks_that_save_checkpoints(tmp_path):
    from kedro.io import DataCatalog, MemoryDataset
    from kedro.pipeline import Node, Pipeline

    saving = {"trainer": {"checkpoint_every": 50, "checkpoint_dir": str(tmp_path / "ckpt")}}
    silent = {"trainer": {"checkpoint_every": 0, "checkpoint_dir": str(tmp_path / "off")}}
    catalog = DataCatalog({"params:a": MemoryDataset(saving), "params:b": MemoryDataset(silent)})
    pipeline = Pipeline([Node(lambda a, b: None, ["params:a", "params:b"], None)])
    folders = checkpoint_folders(pipeline, catalog)
    assert folders == {tmp_path / "ckpt"}
    (tmp_path / "ckpt").write_text("a file where the folder should be")
    with pytest.raises(ValueError, match="cannot write to ckpt \\(Not a directory\\)"):
        check_writable(folders, tmp_path)


def test_a_full_disk_is_found_by_the_probe(tmp_path):
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    previous_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, previous_limit[1]))  # writes stop at 4 KiB
    try:
        with pytest.raises(
            ValueError, match=f"cannot write to {tmp_path.name} \\(File too large\\)"
        ):
            check_writable([tmp_path / "not" / "made" / "yet"], tmp_path.parent)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, previous_limit)
        signal.signal(signal.SIGXFSZ, previous_handler)
    assert not list(tmp_path.iterdir())  # the probe file is gone
    check_writable([tmp_path], tmp_path)
