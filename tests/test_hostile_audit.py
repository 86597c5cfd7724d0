"""`make audit` (issue #17, case 11): the pinned versions against a vulnerability database
when one can be asked, and a plain NOT CHECKED when it cannot; it never hangs and is no
part of `make test`. pip-audit is replaced here by small stand-in scripts: no network."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tools import audit

from .conftest import ROOT

SKIPPED = {"dependencies": [{"name": n, "skip_reason": f"Dependency not found and could not be audited: {n} (1.0)"}
                            for n in ("mkdocs", "jinja2")], "fixes": []}
VULNERABLE = {"dependencies": [
    {"name": "jinja2", "version": "3.1.4", "vulns": [{"id": "GHSA-q2x7-8rv6-6q7h", "aliases": ["CVE-2024-56326"],
                                                     "fix_versions": ["3.1.5"], "description": "sandbox"}]},
    {"name": "mkdocs", "version": "1.6.1", "vulns": []}], "fixes": []}
CLEAN = {"dependencies": [{"name": "mkdocs", "version": "1.6.1", "vulns": []}], "fixes": []}


def stand_in(tmp_path: Path, body: str) -> Path:
    """An executable standing in for pip-audit: `body` runs with sys.argv as pip-audit's."""
    script = tmp_path / "pip-audit"
    script.write_text(f"#!{sys.executable}\nimport json, sys, time\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def write_report(report: dict) -> str:
    return f"out = sys.argv[sys.argv.index('--output') + 1]\nopen(out, 'w').write({json.dumps(report)!r})"


def test_a_database_that_answers_for_no_package_is_not_a_pass():
    code, lines = audit.summarise(SKIPPED)
    assert code == 0 and "NOT CHECKED" in lines[-1] and "none of the 2" in lines[-1]
    assert not any("no known advisories" in line for line in lines)


def test_an_unreachable_database_says_so_and_exits_0():
    code, lines = audit.summarise(None, "Failed to resolve host")
    assert code == 0 and "NOT CHECKED" in lines[0] and "Failed to resolve host" in lines[0]


def test_a_known_advisory_fails_and_names_the_fix():
    code, lines = audit.summarise(VULNERABLE)
    assert code == 1
    assert lines[0] == "jinja2 3.1.4: GHSA-q2x7-8rv6-6q7h (CVE-2024-56326); fixed in 3.1.5"


def test_a_clean_answer_passes():
    assert audit.summarise(CLEAN) == (0, ["make audit: 1 pinned packages looked up: no known advisories."])


def test_partly_answered_names_what_was_not_checked():
    report = {"dependencies": CLEAN["dependencies"] + SKIPPED["dependencies"][:1]}
    code, lines = audit.summarise(report)
    assert code == 0 and "1 of 2 pinned packages NOT CHECKED" in lines[0] and "mkdocs" in lines[0]


def test_a_database_that_does_not_answer_is_given_up_on(tmp_path, capsys):
    fake = stand_in(tmp_path, "time.sleep(600)")
    assert audit.main(["--pip-audit", str(fake), "--timeout", "1"]) == 0
    assert "NOT CHECKED" in capsys.readouterr().out


def test_pip_audit_failing_to_connect_is_not_checked(tmp_path, capsys):
    fake = stand_in(tmp_path, "print('requests.exceptions.ConnectionError: Failed to resolve', file=sys.stderr)\n"
                              "sys.exit(1)")
    assert audit.main(["--pip-audit", str(fake)]) == 0
    assert "NOT CHECKED" in capsys.readouterr().out


def test_an_advisory_found_through_the_command_exits_1(tmp_path, capsys):
    fake = stand_in(tmp_path, write_report(VULNERABLE) + "\nsys.exit(1)")
    assert audit.main(["--pip-audit", str(fake), "requirements.txt"]) == 1
    assert "CVE-2024-56326" in capsys.readouterr().err


def test_pip_audit_is_asked_without_installing_anything(tmp_path):
    seen = tmp_path / "argv.json"
    fake = stand_in(tmp_path, f"json.dump(sys.argv[1:], open({str(seen)!r}, 'w'))\n" + write_report(CLEAN))
    assert audit.main(["--pip-audit", str(fake)]) == 0
    args = json.loads(seen.read_text(encoding="utf-8"))
    assert {"--no-deps", "--disable-pip"} <= set(args)
    assert args[args.index("--requirement") + 1] == "requirements-dev.txt"
    assert args[args.index("--timeout") + 1] == "15"


def test_make_audit_exists_and_is_not_part_of_make_test():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\naudit: " in makefile and "tools.audit" in makefile and "timeout " in makefile
    test_line = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "audit" not in test_line
