"""Link this environment's copies of a wheel's core dependencies (no extras) into a folder.

Run as a script (`python core_dependencies.py WHEEL FOLDER`), so `packaging` is the
library and not this test folder of the same name. A fresh environment that adds
FOLDER to its path installs the wheel with no network, and a dependency the wheel
does not declare is missing there too.
"""

from __future__ import annotations

import importlib.metadata
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement


def _declared(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode())
    wanted = [Requirement(r) for r in metadata.get_all("Requires-Dist") or []]
    return [r for r in wanted if r.marker is None or r.marker.evaluate({"extra": ""})]


def link(wheel: Path, folder: Path) -> None:
    todo = _declared(wheel)
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        req = todo.pop()
        key = (req.name.lower(), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        found = importlib.metadata.distribution(req.name)
        for top in {f.parts[0] for f in found.files or [] if f.parts[0] != ".."}:
            target = folder / top
            if not target.exists():
                target.symlink_to(Path(str(found.locate_file(top))))
        extras = [*req.extras, ""]
        for text in found.requires or []:
            dep = Requirement(text)
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in extras):
                todo.append(dep)


if __name__ == "__main__":
    link(Path(sys.argv[1]), Path(sys.argv[2]))
