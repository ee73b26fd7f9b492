"""The floor plan: each app imports only the apps below it, and no module imports itself back.

Read from the source (every ``import``, inside functions too), so a new upward import fails here
before it blurs the layers. See README.md, "Architecture".
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Bottom up. An app may import the apps of the layers below its own, never its own layer's
# neighbours or a layer above (``config`` wires them all together).
LAYERS = [{"core"}, {"gates"}, {"projects", "investment"}, {"portal"}, {"config"}]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def modules() -> dict[str, Path]:
    found = {}
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[int, str]]:
    """``(line, module)`` of every tracker module ``name`` imports, wherever the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # "from x import y": y may be a module of package x.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((node.lineno, target))
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    return {
        name: {target for _line, target in imports_of(name, path, set(found))}
        for name, path in found.items()
    }


def test_each_app_imports_only_the_layers_below_it():
    found = modules()
    wrong = []
    for name, path in found.items():
        app = name.split(".")[0]
        for line, target in imports_of(name, path, set(found)):
            other = target.split(".")[0]
            if other != app and RANK[other] >= RANK[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not wrong, "Imports against the layers:\n" + "\n".join(wrong)


def test_no_module_imports_itself_back():
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" → ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "Import loops:\n" + "\n".join(cycles)


def test_the_check_sees_an_upward_import(tmp_path):
    """The test above reads what it should: a core module importing projects is found."""
    path = tmp_path / "bad.py"
    path.write_text("def f():\n    from projects.models import Project\n")
    found = imports_of("core.bad", path, set(modules()))
    assert (2, "projects.models") in found
