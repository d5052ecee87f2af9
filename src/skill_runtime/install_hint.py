"""The one command that installs what is missing into the environment running this CLI.

A bare `pip install` is often wrong: Debian and Ubuntu refuse it outside a
virtual environment (PEP 668), `uv tool` environments have no pip, and an
install from a source folder needs that folder, not the package index. So the
hint names the interpreter, the tool or the folder that this copy came from.
"""

from __future__ import annotations

import json
import shlex
import sys
import sysconfig
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, urlparse

DISTRIBUTION = "ai-subtitles-for-video"


def _source_folder() -> tuple[Path, bool] | None:
    """The local folder pip installed this copy from (PEP 610), and whether editable."""
    try:
        raw = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not raw:
        return None
    info = json.loads(raw)
    url = urlparse(str(info.get("url", "")))
    folder = Path(unquote(url.path))
    if url.scheme != "file" or not (folder / "pyproject.toml").is_file():
        return None
    return folder, bool(info.get("dir_info", {}).get("editable"))


def _in_uv_tool() -> bool:
    return (Path(sys.prefix) / "uv-receipt.toml").is_file()


def _externally_managed() -> bool:
    """A system Python that refuses pip (PEP 668), not a virtual environment."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return sys.prefix == sys.base_prefix and (stdlib / "EXTERNALLY-MANAGED").is_file()


def install_command(extra: str = "local") -> str:
    """A shell command that (re)installs `ai-subtitles-for-video[extra]` where it runs now."""
    spec = f"{DISTRIBUTION}[{extra}]"
    source = _source_folder()
    if _in_uv_tool():
        target = f"{source[0]}[{extra}]" if source else spec
        return f"uv tool install --reinstall {shlex.quote(target)}"
    if _externally_managed():
        if source is not None:
            spec = f"{spec} @ {source[0].as_uri()}"
        return f"uv tool install {shlex.quote(spec)}"
    # uv's environments come without pip; uv installs into them from outside.
    python = shlex.quote(sys.executable)
    pip = f"{python} -m pip install" if find_spec("pip") else f"uv pip install --python {python}"
    if source is None:
        return f"{pip} {shlex.quote(spec)}"
    folder, editable = source
    target = shlex.quote(f"{folder}[{extra}]")
    return f"{pip} {'-e ' if editable else ''}{target}"
