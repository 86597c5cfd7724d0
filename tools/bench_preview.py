"""Save-to-browser time of the live preview (issue #18, goal 1), measured for real.

    python -m tools.bench_preview --data DIR [--project DIR] [--edits 3] [--config mkdocs.yml]

Starts `mkdocs serve` as `make serve` runs it (the arguments are read from the Makefile)
in the project (default: this checkout) with LUOHE_DATA=DIR (a copy: it is edited), opens the page of the first rectification item
(its inspection's page) in Debian's chromium, then, `--edits` times: saves data/items.yaml with
a new marker in that item's description and waits until the open page, reloaded by the
preview itself, shows the marker. Prints the JSON: each edit's seconds from the write to
the marker in the page, and their median. tests/test_serve.py drives the same preview
(untimed) through `Served` and `first_item`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve_args(config: str = "mkdocs.yml") -> list[str]:
    """The `mkdocs serve` arguments of the Makefile's serve target (serve-internal's for
    mkdocs.internal.yml), without the address."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if "-m mkdocs serve" in line and f"-f {config}" in line:
            args = shlex.split(line.split("-m", 1)[1])
            if "-a" in args:
                del args[args.index("-a"):args.index("-a") + 2]
            return args
    raise RuntimeError(f"no `mkdocs serve -f {config}` in the Makefile")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float, gone: bool = False) -> bool:
    """Whether `text` appears in (or, with gone, vanishes from) the body at `url` in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = get(url)
        if body is not None and (text in body) != gone:
            return True
        time.sleep(0.5)
    return False


class Served:
    """`mkdocs serve` as make serve runs it, in `project`, until the block ends. `site` is the
    folder it builds into (in a TMPDIR of its own), `url` its base URL ending in '/'."""

    def __init__(self, project: Path, work: Path, config: str = "mkdocs.yml", data: Path | None = None,
                 startup: float = 600):
        self.project, self.work, self.config, self.data, self.startup = project, work, config, data, startup

    def __enter__(self) -> Served:
        tmp = self.work / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}/"
        env = {k: v for k, v in os.environ.items() if k != "LUOHE_DATA"}
        env.update({"TMPDIR": str(tmp), "NO_MKDOCS_2_WARNING": "1"})
        if self.data is not None:
            env["LUOHE_DATA"] = str(self.data)
        self.log = (self.work / "serve.log").open("w", encoding="utf-8")  # a file: an unread pipe blocks serve
        self.proc = subprocess.Popen([sys.executable, "-m", *serve_args(self.config), "-a", f"127.0.0.1:{port}"],
                                     cwd=self.project, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        if not wait_for(self.url, "数据截至", self.startup):
            self.__exit__()
            raise RuntimeError(f"mkdocs serve did not come up; see {self.work / 'serve.log'}")
        self.site = next(tmp.glob("mkdocs_*"))
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def first_item(data: Path) -> tuple[str, str]:
    """(the first item's description line in items.yaml, its inspection page's path)."""
    text = (data / "items.yaml").read_text(encoding="utf-8")
    record = text[text.index("- id:"):]
    record = record[:record.find("\n- id:", 1)]
    fields = dict(re.findall(r"^  (round|organisation|description): (.*)$", record, flags=re.M))
    return f"  description: {fields['description']}", f"inspections/{fields['round']}--{fields['organisation']}/"


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError(f"{old!r} is not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure(project: Path, data: Path, edits: int = 3, config: str = "mkdocs.yml") -> dict:
    """Seconds from saving items.yaml to the open page showing the change, per edit."""
    from playwright.sync_api import sync_playwright

    from tools.screenshots import launch

    line, page_path = first_item(data)
    seconds = []
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as work:
        served = Served(project, Path(work), config, data)
        with served, sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(served.url + page_path, wait_until="load")
            current = line
            for n in range(edits):
                marker = f"预览计时{n}号"
                start = time.monotonic()
                replace_once(data / "items.yaml", current, current + marker)
                page.wait_for_function(f"document.body && document.body.innerText.includes({json.dumps(marker)})",
                                       timeout=600_000, polling=20)
                seconds.append(round(time.monotonic() - start, 2))
                current += marker
                time.sleep(1)  # let the browser settle before the next save
            browser.close()
        replace_once(data / "items.yaml", current, line)
    return {"status": "measured", "edits": seconds, "seconds": statistics.median(seconds), "page": page_path}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--config", default="mkdocs.yml")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.project.resolve(), args.data.resolve(), args.edits, args.config), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
