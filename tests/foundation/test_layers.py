"""The import graph follows ARCHITECTURE.md: layers point one way and nothing imports in a loop.

The graph comes from grimp (the engine of import-linter): every import statement of every
module, including those under `if TYPE_CHECKING:` and inside functions. Importing `a.b.c` also
counts as importing the packages `a.b` and `a`, whose `__init__` runs first.
"""

from __future__ import annotations

import re
import textwrap
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "skill_runtime"


@dataclass(frozen=True)
class Layer:
    name: str
    modules: tuple[str, ...]
    independent: bool


def read_layers(text: str) -> list[Layer]:
    """The rows of the table under "## Layers", top layer first."""
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    layers = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and "`" in cells[1]:
            modules = tuple(re.findall(r"`([\w.]+)`", cells[1]))
            layers.append(Layer(cells[0], modules, cells[2].startswith("independent")))
    return layers


LAYERS = read_layers((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))


def _ancestors(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def import_graph(package: str) -> dict[str, set[str]]:
    """Module → modules it imports (direct), plus the parent packages Python runs on the way."""
    built = grimp.build_graph(package, cache_dir=None)
    edges = {m: set(built.find_modules_directly_imported_by(m)) for m in built.modules}
    for module, targets in edges.items():
        running = _ancestors(module) | {module}
        for target in list(targets):
            targets |= {p for p in _ancestors(target) if p not in running and p in edges}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One shortest loop through each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return [_loop(edges, group) for group in groups]


def _loop(edges: dict[str, set[str]], group: set[str]) -> list[str]:
    start = min(group)
    came: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(edges[node] & group):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if nxt not in came:
                came[nxt] = node
                queue.append(nxt)
    raise AssertionError(f"no loop in {group}")


@cache
def runtime_graph() -> dict[str, set[str]]:
    return import_graph(PACKAGE)


def layer_of(module: str, layers: list[Layer] = LAYERS) -> tuple[int, str] | None:
    """(layer index, the table's module name) for a module of a package; None for the root."""
    parts = module.split(".")
    if len(parts) < 2:
        return None
    for i, layer in enumerate(layers):
        if parts[1] in layer.modules:
            return i, parts[1]
    raise AssertionError(f"{module} is in no layer of ARCHITECTURE.md")


def wrong_imports(edges: dict[str, set[str]], layers: list[Layer], own: int) -> list[str]:
    """Imports from layer `own` that point up, or across an independent layer."""
    layer = layers[own]
    wrong = []
    for module, targets in sorted(edges.items()):
        at = layer_of(module, layers)
        if at is None or at[0] != own:
            continue
        for target in sorted(targets):
            there = layer_of(target, layers)
            if there is None:
                continue
            upward = there[0] < own
            across = layer.independent and there[0] == own and there[1] != at[1]
            if upward or across:
                wrong.append(f"{module} → {target}")
    return wrong


def _shown(loops: Iterable[list[str]]) -> str:
    return "\n".join(" → ".join(loop) for loop in loops)


def test_the_architecture_table_names_layers() -> None:
    assert [layer.name for layer in LAYERS] == [
        "entry",
        "dispatch",
        "backends",
        "batch",
        "engines",
        "shared",
        "settings",
    ]


def test_nothing_imports_in_a_loop() -> None:
    loops = cycles(runtime_graph())
    assert not loops, "import cycles:\n" + _shown(loops)


def test_every_module_is_in_exactly_one_layer() -> None:
    named = [m for layer in LAYERS for m in layer.modules]
    assert len(named) == len(set(named))
    present = {m.split(".")[1] for m in runtime_graph() if "." in m}
    assert present == set(named)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.name)
def test_a_layer_imports_only_its_own_and_the_layers_below(layer: Layer) -> None:
    wrong = wrong_imports(runtime_graph(), LAYERS, LAYERS.index(layer))
    assert not wrong, "\n".join(wrong)


def test_only_the_entry_layer_loads_skill_yaml() -> None:
    readers = {m for m, targets in runtime_graph().items() if f"{PACKAGE}.config" in targets}
    entry = {f"{PACKAGE}.{m}" for m in LAYERS[0].modules}
    assert readers <= entry


def test_settings_import_nothing_else_of_the_package() -> None:
    settings = f"{PACKAGE}.settings"
    outside = {
        f"{m} → {t}"
        for m, targets in runtime_graph().items()
        if m.startswith(settings)
        for t in targets
        if not t.startswith(settings)
    }
    assert not outside


LOOPS = {
    "type-checking import": (
        {
            "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import b\n",
            "b.py": "from . import a\n",
        },
        ["a", "b", "a"],
    ),
    "import inside a function": (
        {"a.py": "from . import b\n", "b.py": "def f():\n    from . import a\n"},
        ["a", "b", "a"],
    ),
    "through a package __init__": (
        {
            "conf.py": "from .sub import settings\n",
            "sub/__init__.py": "from .service import run\n",
            "sub/settings.py": "",
            "sub/service.py": "from ..conf import x\n",
        },
        ["conf", "sub", "sub.service", "conf"],
    ),
}


def _package(files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    name = f"layerfixture_{abs(hash(tuple(files))) % 10**8}"
    for path, text in {"__init__.py": "", **files}.items():
        where = tmp_path / name / path
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


@pytest.mark.parametrize(("files", "loop"), LOOPS.values(), ids=list(LOOPS))
def test_the_check_finds_a_loop(
    files: dict[str, str], loop: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = _package(files, tmp_path, monkeypatch)
    found = cycles(import_graph(name))
    assert found == [[f"{name}.{m}" for m in loop]]


FIXTURE_LAYERS = [
    Layer("top", ("cli",), independent=False),
    Layer("engines", ("local", "cloud"), independent=True),
    Layer("shared", ("store",), independent=False),
]
WRONG = {
    "upward at load": ({"store.py": "from . import cli\n"}, 2, ["store → cli"]),
    "upward inside a function": (
        {"store.py": "def f():\n    from .cli import run\n"},
        2,
        ["store → cli"],
    ),
    "upward for type checking": (
        {
            "store.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from . import cli\n"
        },
        2,
        ["store → cli"],
    ),
    "across independent engines": (
        {"local/__init__.py": "", "local/run.py": "from ..cloud import api\n", "cloud/api.py": ""},
        1,
        ["local.run → cloud", "local.run → cloud.api"],
    ),
}


@pytest.mark.parametrize(("files", "layer", "wrong"), WRONG.values(), ids=list(WRONG))
def test_the_check_finds_a_wrong_import(
    files: dict[str, str],
    layer: int,
    wrong: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = {"cli.py": "def run():\n    pass\n", "store.py": "", "cloud/__init__.py": ""}
    name = _package({**base, **files}, tmp_path, monkeypatch)
    found = wrong_imports(import_graph(name), FIXTURE_LAYERS, layer)
    assert found == [" → ".join(f"{name}.{m}" for m in pair.split(" → ")) for pair in wrong]


def test_the_check_refuses_a_module_the_table_does_not_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = _package({"cli.py": "from . import stray\n", "stray.py": ""}, tmp_path, monkeypatch)
    with pytest.raises(AssertionError, match="stray is in no layer"):
        wrong_imports(import_graph(name), FIXTURE_LAYERS, 0)
