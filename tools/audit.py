"""Dependency audit: the pinned versions against a vulnerability database (`make audit`).

    python -m tools.audit [--pip-audit PATH] [--timeout SECONDS] [REQUIREMENTS ...]

Runs pip-audit (installed by `make audit` into a venv of its own, .cache/audit-venv, so its
dependencies never mix with the site's) over the pinned requirements, default
requirements-dev.txt (which includes requirements.txt), without installing anything
(`--no-deps --disable-pip`), then says plainly which of three things happened:

- every pinned package was looked up and none has a known advisory: exit 0;
- some pinned package has a known advisory: each is listed with its fix, exit 1;
- the database could not be asked (no network, a time-out, or it answered for no package,
  as happens behind a package mirror that serves no advisory data): "NOT CHECKED", with the
  reason, exit 0. An audit that could not run is not a failure of the project, but it is
  never reported as a pass either; packages it could not look up are named.

It never hangs: pip-audit's requests time out (`--timeout 15`) and the whole run is stopped
after --timeout seconds (default 300).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PIP_AUDIT = ROOT / ".cache" / "audit-venv" / "bin" / "pip-audit"


def summarise(report: dict | None, failure: str | None = None) -> tuple[int, list[str]]:
    """(exit code, lines to print) for pip-audit's JSON report, or for no report and why."""
    if report is None:
        return 0, [f"make audit: NOT CHECKED: the vulnerability database could not be asked ({failure}).",
                   "Nothing is known about the pinned versions; run `make audit` again where it is reachable."]
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    looked_up = len(deps) - len(skipped)
    lines = []
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            aliases = ", ".join(vuln.get("aliases") or [])
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
            lines.append(f"{dep['name']} {dep.get('version', '?')}: {vuln.get('id')}"
                         f"{f' ({aliases})' if aliases else ''}; fixed in {fixed}")
    if skipped:
        names = ", ".join(sorted(d["name"] for d in skipped))
        reason = skipped[0]["skip_reason"]
        if looked_up == 0:
            lines.append(f"make audit: NOT CHECKED: the vulnerability database answered for none of the {len(deps)} "
                         f"pinned packages (e.g. {reason!r}).")
        else:
            lines.append(f"make audit: {len(skipped)} of {len(deps)} pinned packages NOT CHECKED "
                         f"(e.g. {reason!r}): {names}")
    if vulnerable:
        count = sum(len(d["vulns"]) for d in vulnerable)
        lines.append(f"make audit: {count} known advisories in {len(vulnerable)} pinned packages "
                     f"(of {looked_up} looked up).")
        return 1, lines
    if looked_up:
        lines.append(f"make audit: {looked_up} pinned packages looked up: no known advisories.")
    return 0, lines


def audit(pip_audit: Path, requirements: list[str], timeout: float) -> tuple[int, list[str]]:
    if not pip_audit.exists():
        return summarise(None, f"pip-audit is not installed at {pip_audit}; `make audit` installs it")
    with tempfile.TemporaryDirectory(prefix="luohe-audit-") as tmp:
        out = Path(tmp) / "report.json"
        args = [str(pip_audit), "--no-deps", "--disable-pip", "--progress-spinner", "off", "--timeout", "15",
                "--format", "json", "--output", str(out)]
        for requirement in requirements:
            args += ["--requirement", requirement]
        try:
            result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return summarise(None, f"no answer within {timeout:g} seconds")
        try:
            report = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = (result.stderr.strip().splitlines() or [f"pip-audit exited with {result.returncode}"])[-1]
            return summarise(None, last[:300])
    return summarise(report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.audit")
    parser.add_argument("requirements", nargs="*", default=["requirements-dev.txt"])
    parser.add_argument("--pip-audit", type=Path, default=DEFAULT_PIP_AUDIT)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    code, lines = audit(args.pip_audit, args.requirements, args.timeout)
    print("\n".join(lines), file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
