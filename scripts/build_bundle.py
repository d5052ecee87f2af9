"""Build the publishable skill bundle and check it against the stores' caps.

The bundle is the files `.clawhubignore` keeps (SKILL.md, LICENSE, skill.yaml,
install.sh): text only; the CLI, with its own prompts/, comes from install.sh. OpenClaw's shared
library takes at most 256 files and 8 MiB per skill, ClawHub 50 MB and 10 MB a file;
the bundle is kept well under, at most 40 files.

    python scripts/build_bundle.py OUT   # writes OUT/ai-subtitles-for-video, prints counts

Exit 1 when a cap is broken. Needs only the standard library and `pathspec`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pathspec

ROOT = Path(__file__).resolve().parents[1]
NAME = "ai-subtitles-for-video"
MAX_FILES = 40  # ours; OpenClaw allows 256
MAX_BYTES = 8 * 1024 * 1024  # OpenClaw's library cap per skill
MAX_FILE_BYTES = 10 * 1000 * 1000  # ClawHub's cap per file


def _candidates(root: Path) -> list[str]:
    """Files git would publish (tracked, or untracked and not ignored); every file without git."""
    try:
        return subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):  # no git here, or not a checkout
        return [p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts]


def bundle_files(root: Path = ROOT) -> list[Path]:
    """The files .clawhubignore keeps, relative to root."""
    lines = (root / ".clawhubignore").read_text(encoding="utf-8").splitlines()
    ignored = pathspec.GitIgnoreSpec.from_lines(lines)
    return sorted(
        Path(p) for p in _candidates(root) if (root / p).is_file() and not ignored.match_file(p)
    )


def problems(folder: Path) -> list[str]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    found = []
    if len(files) > MAX_FILES:
        found.append(f"{len(files)} files, more than {MAX_FILES}")
    if total > MAX_BYTES:
        found.append(f"{total} bytes, more than {MAX_BYTES}")
    for path in files:
        if path.stat().st_size > MAX_FILE_BYTES:
            found.append(f"{path.name} is over {MAX_FILE_BYTES} bytes")
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            found.append(f"{path.relative_to(folder)} is not text")
    return found


def build(out: Path, root: Path = ROOT) -> Path:
    """A fresh OUT/<skill name> folder holding the bundle."""
    folder = out / NAME
    if folder.exists():
        shutil.rmtree(folder)
    for relative in bundle_files(root):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)
    return folder


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder = build(Path(argv[0]).resolve())
    files = [p for p in folder.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"{folder}: {len(files)} files, {size} bytes ({size / 1024:.0f} KiB)")
    found = problems(folder)
    for problem in found:
        print(f"over a cap: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
