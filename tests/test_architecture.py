"""The layout's rules, checked on the source: the science modules import neither MLflow, Kedro
nor the pipelines, and one place builds a ``GANTrainer``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src/shall_we_gans"
SCIENCE = ("data", "embedding", "gan", "adaptation", "metrics", "plotting")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_science_modules_import_no_tracking_no_kedro_no_pipelines():
    offending = {}
    for folder in SCIENCE:
        for path in (PACKAGE / folder).rglob("*.py"):
            bad = {
                name
                for name in imported_modules(path)
                if name.split(".")[0] in ("mlflow", "kedro", "kedro_mlflow")
                or name.startswith(("shall_we_gans.pipelines", "shall_we_gans.tracking"))
            }
            if bad:
                offending[str(path.relative_to(ROOT))] = sorted(bad)
    assert offending == {}


def constructs(path: Path, name: str) -> int:
    calls = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)]
    return sum(isinstance(c.func, ast.Name) and c.func.id == name for c in calls)


def test_one_place_builds_a_gan_trainer():
    sources = [*PACKAGE.rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    builders = {str(p.relative_to(ROOT)): constructs(p, "GANTrainer") for p in sources}
    assert {p: n for p, n in builders.items() if n} == {"src/shall_we_gans/gan/run.py": 1}
