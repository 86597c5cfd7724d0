"""`mkdocs serve` (as `make serve` runs it) rebuilds when a file in data/ changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from .conftest import copy_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _get(url)
        if body is not None and text in body:
            return True
        time.sleep(1)
    return False


def test_serve_reloads_on_data_change(tmp_path):
    project = copy_project(tmp_path / "project")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")  # a file: an unread pipe fills and blocks serve
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=log, text=True,
        env={k: v for k, v in os.environ.items() if k != "LUOHE_DATA"},
    )
    try:
        assert _wait_for(url, "数据截至", 240), "serve never came up"
        assert "livereload" in (_get(url) or "")
        site = project / "data" / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace("title: 漯河巡察", "title: 预览改名测试"),
                        encoding="utf-8")
        assert _wait_for(url, "预览改名测试", 240), "the page did not change after data/site.yaml changed"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
