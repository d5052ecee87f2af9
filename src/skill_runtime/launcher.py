"""The `ai-subtitles` entry point: an unsupported Python gets one clear line, not a traceback.

Only the standard library runs before the version check (the rest of the
runtime needs Python 3.10 and libraries that may not have installed there), so
the message template is read directly and Jinja2 renders it only if it imports.
"""

from __future__ import annotations

import argparse
import sys
from importlib.util import find_spec
from pathlib import Path

MINIMUM = (3, 10)
EXIT_TO_INSTALL = 4  # skill.yaml exit_codes.unavailable ("something to install")
TEMPLATE = Path("prompts", "errors", "python_unsupported.j2")


def _template() -> str:
    here = Path(__file__).resolve().parent
    checkout = here.parents[1] / TEMPLATE
    installed = here / "_skill" / TEMPLATE  # where the wheel carries prompts/
    return (checkout if checkout.is_file() else installed).read_text("utf-8")


def python_message() -> str:
    version = ".".join(str(n) for n in sys.version_info[:3])
    text = _template()
    try:
        import jinja2
    except ImportError:
        return text.replace("{{ version }}", version).strip()
    rendered: str = jinja2.Template(text).render(version=version)
    return rendered.strip()


def _serve_mcp(args: argparse.Namespace) -> int:
    """`ai-subtitles mcp`, when the optional `mcp` package is installed (the [mcp] extra)."""
    if find_spec("mcp") is None:
        from .errors import SkillError

        raise SkillError("mcp_missing")
    from .mcp_server import serve

    return serve(args)


def main() -> int:
    if sys.version_info < MINIMUM:
        print(python_message(), file=sys.stderr)
        return EXIT_TO_INSTALL
    from .cli import main as cli_main

    return cli_main(servers={"mcp": _serve_mcp})
