"""Imports follow the pipeline (README, "For developers"): each module of generators/ sits in
one layer and imports only from its own layer or the ones below; no cycle; no import
inside a function; nothing in generators/ imports MkDocs; publishing/ sits above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

# bottom to top; a module may import from its own layer and the layers before it
LAYERS: list[tuple[str, set[str]]] = [
    ("base", {"problems", "gcpause", "memo", "pagecache", "text", "labels", "numbers"}),
    ("read", {"yamlstrict", "model"}),
    ("dataset", {"dataset"}),
    ("checks", {"ruletext", "ruledates", "queries", "lifecycle", "training_checks", "system_checks", "checks"}),
    ("load", {"load"}),
    ("index", {"audience", "inspections", "opendata", "rulediff", "render", "charts"}),
    ("pages", {"pages", "changelog"}),
    ("build", {"edition", "pipeline", "schema", "__init__", "__main__"}),
]


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    for n, (_, names) in enumerate(LAYERS):
        if top in names:
            return n
    raise AssertionError(f"generators/{module.replace('.', '/')}.py is in no layer of tests/test_layers.py")


def modules(package: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).with_suffix("")
        out[".".join(rel.parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported module of the package, line, at top level) for each import of the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name.split(".")[:-1] if not name.endswith("__init__") else name.split(".")[:-1]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "generators":
                stem = node.module.removeprefix("generators").lstrip(".")
            else:
                continue
            for alias in node.names:
                candidate = f"{stem}.{alias.name}" if stem else alias.name
                target = candidate if candidate in known else (stem or "__init__")
                if target in known or f"{target}.__init__" in known:
                    found.append((target if target in known else f"{target}.__init__", node.lineno, id(node) in top_level))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "generators":
                    stem = alias.name.removeprefix("generators").lstrip(".") or "__init__"
                    found.append((stem, node.lineno, id(node) in top_level))
    return found


def graph() -> dict[str, list[tuple[str, int, bool]]]:
    found = modules(ROOT / "generators")
    known = set(found)
    return {name: [i for i in imports(name, path, known) if i[0] != name] for name, path in found.items()}


def test_every_import_goes_down_the_layers():
    wrong = []
    for name, targets in graph().items():
        for target, line, _ in targets:
            if layer_of(target) > layer_of(name):
                wrong.append(f"generators/{name.replace('.', '/')}.py:{line}: imports {target} "
                             f"({LAYERS[layer_of(target)][0]} is above {LAYERS[layer_of(name)][0]})")
    assert not wrong, "\n".join(wrong)


def test_no_import_inside_a_function():
    lazy = [f"generators/{name.replace('.', '/')}.py:{line}: imports {target} inside a function"
            for name, targets in graph().items() for target, line, top in targets if not top]
    assert not lazy, "\n".join(lazy)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    edges = {name: {t for t, _, _ in targets if not (t.endswith("__init__") and name.startswith(t.split(".")[0]))}
             for name, targets in graph().items()}
    assert cycles(edges) == []


def test_the_cycle_check_can_fail():
    assert cycles({"load": {"checks"}, "checks": {"load"}, "model": set()}) == [["checks", "load"]]
    assert layer_of("pages.home") > layer_of("inspections") > layer_of("load") > layer_of("dataset")


@pytest.mark.parametrize("folder", ["generators", "publishing"])
def test_the_generators_never_import_mkdocs(folder):
    allowed = folder == "publishing"  # publishing runs MkDocs and mike; generators never imports them
    for path in sorted((ROOT / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for module in names:
                if module.split(".")[0] == "mkdocs":
                    assert allowed, f"{path.relative_to(ROOT)}:{node.lineno}: imports {module}"


def test_publishing_sits_above_generators():
    for path in sorted((ROOT / "generators").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "import publishing" not in text and "from publishing" not in text, path
        assert "from tools" not in text and "import tools" not in text, path
    for path in sorted((ROOT / "publishing").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "from tools" not in text and "import tools" not in text, path


def test_the_readme_draws_the_same_layers():
    """README, For developers: the layer table names exactly the modules of each layer here."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): set(re.findall(r"`([a-z_/*]+)`", m.group(2)))
            for m in re.finditer(r"^\| (\w+) \| ([^|]+) \|", readme, flags=re.M)}
    for name, modules in LAYERS:
        shown = {m.removesuffix("/*") for m in rows[name]} - {"__init__"}
        assert shown == modules - {"__init__"}, (name, shown ^ (modules - {"__init__"}))


def test_overrides_extend_material_and_copy_none_of_its_partials():
    """overrides/ holds theme overrides only: main.html (Material's documented place to extend
    base.html's blocks) and templates of our own, never a copy of one of Material's files,
    which would silently fall behind Material's fixes."""
    import material

    theme = Path(material.__file__).parent / "templates"
    ours = [p.relative_to(ROOT / "overrides") for p in (ROOT / "overrides").rglob("*") if p.is_file()]
    assert ours, "overrides/ is empty"
    shadowed = [str(p) for p in ours if (theme / p).exists() and str(p) != "main.html"]
    assert not shadowed, f"copies of Material's templates in overrides/: {shadowed}"
