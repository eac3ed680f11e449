"""``make browser-check``: Kedro-Viz and the MLflow UI seen in headless Chromium (Debian's).

Builds Kedro-Viz's static site and serves it on 127.0.0.1, starts ``mlflow ui`` on the project's
store, then checks in a real browser that every registered pipeline is in Kedro-Viz's pipeline
list and that every study's runs are in its experiment's runs table, with no console error
beyond the known benign ones below. Screenshots go to ``data/08_reporting/screenshots/``.
Run ``make run`` first: a study without runs fails the check.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import mlflow
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "data" / "08_reporting" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PREFIX = "shall_we_gans"
# Console errors that are not the project's: the page's web font comes from the internet (this
# machine is offline); a static Kedro-Viz build has no /api/metadata endpoint; MLflow's UI
# asks for the logged-in user, which a server without authentication answers with 404.
BENIGN = (
    "fonts.googleapis.com",
    "/api/metadata",
    "metadata fetch error",  # Kedro-Viz's log line for that missing endpoint
    "/mlflow/users/current",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve_folder(folder: Path) -> str:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def start_mlflow_ui(store: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [sys.executable, "-m", "mlflow", "ui", "--backend-store-uri", store,
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=1)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"mlflow ui did not answer on {url}")


def registered_pipelines() -> list[str]:
    from kedro.framework.project import pipelines
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(ROOT)
    return sorted(pipelines.keys())


def watch_console(page: Page, errors: list[str]) -> None:
    def record(text: str) -> None:
        if not any(b in text for b in BENIGN):
            errors.append(text)

    page.on("console", lambda m: m.type == "error" and record(f"{m.text} ({m.location['url']})"))
    page.on("requestfailed", lambda r: record(f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and record(f"HTTP {r.status}: {r.url}"))


def check_kedro_viz(page: Page, url: str, expected: list[str]) -> list[str]:
    page.goto(url, wait_until="load")
    page.wait_for_selector(".pipeline-list .dropdown, .dropdown >> text=__default__")
    page.wait_for_timeout(2000)
    page.screenshot(path=SHOTS / "kedro_viz.png")
    dropdown = [d for d in page.query_selector_all(".dropdown") if d.inner_text().strip()][0]
    dropdown.click()
    page.wait_for_timeout(500)
    options = page.query_selector_all(".dropdown__options [role=option], .dropdown__options li")
    listed = {(o.text_content() or "").strip() for o in options}
    page.keyboard.press("Escape")
    return [f"Kedro-Viz: pipeline {p!r} not in the list" for p in expected if p not in listed]


def check_mlflow(page: Page, url: str, store: str, studies: list[str]) -> list[str]:
    client = mlflow.MlflowClient(store)
    problems = []
    for study in studies:
        experiment = client.get_experiment_by_name(f"{PREFIX}.{study}")
        runs = client.search_runs([experiment.experiment_id]) if experiment else []
        if not runs:
            problems.append(f"MLflow: no run of {study!r} in the store (run `make run` first)")
            continue
        page.goto(f"{url}#/experiments/{experiment.experiment_id}/runs", wait_until="load")
        shown = f"{len(runs)} matching run"
        try:
            page.wait_for_function(
                "([shown, name]) => document.body.innerText.includes(shown)"
                " && [...document.querySelectorAll('[role=row], tr')]"
                ".some(r => r.innerText.split('\\n').map(t => t.trim()).includes(name))",
                arg=[shown, study],
                timeout=30000,
            )
        except Exception:
            problems.append(f"MLflow UI: the runs table of {study!r} does not show its runs")
        if study in ("missing_modes", "stacked_mnist"):
            page.screenshot(path=SHOTS / f"mlflow_{study}_runs.png")
    return problems


def main() -> int:
    from shall_we_gans.pipeline_registry import STUDY_ORDER

    SHOTS.mkdir(parents=True, exist_ok=True)
    store = os.environ.get("MLFLOW_TRACKING_URI", f"sqlite:///{ROOT / 'mlflow.db'}")
    subprocess.run([sys.executable, "-m", "kedro", "viz", "build"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    viz_url = serve_folder(ROOT / "build")
    ui, ui_url = start_mlflow_ui(store)
    errors: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            watch_console(page, errors)
            problems = check_kedro_viz(page, viz_url, registered_pipelines())
            problems += check_mlflow(page, ui_url, store, list(STUDY_ORDER))
            browser.close()
    finally:
        ui.terminate()
    problems += [f"console error: {e}" for e in errors]
    for problem in problems:
        print("FAIL", problem)
    shots = ", ".join(p.name for p in sorted(SHOTS.glob("*.png")))
    print(f"browser check: {'FAILED' if problems else 'passed'}; screenshots in {SHOTS}: {shots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
