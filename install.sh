#!/bin/sh
# Installs the ai-subtitles CLI for this skill, on a host that has python3 (3.10+) and
# perhaps nothing else: uv when it is there, else a virtual environment in
# ~/.ai-subtitles; then the command is linked into a folder on PATH.
#   sh install.sh                               the CLI with the local backend
#   AI_SUBTITLES_EXTRAS=local,mcp sh install.sh  ... plus the MCP server (ai-subtitles mcp)
# Installs from this folder when it carries the source (pyproject.toml), else from PyPI.
# AI_SUBTITLES_VENV and AI_SUBTITLES_BIN move the environment and the link.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
extras=${AI_SUBTITLES_EXTRAS:-local}
venv=${AI_SUBTITLES_VENV:-$HOME/.ai-subtitles}
if [ -f "$here/pyproject.toml" ]; then
  spec="$here[$extras]"
else
  spec="ai-subtitles-for-video[$extras]"
fi

say() { printf '%s\n' "$*"; }
fail() { printf '%s\n' "$*" >&2; exit 4; }

on_path() {
  case ":$PATH:" in *":$1:"*) return 0 ;; *) return 1 ;; esac
}

command -v python3 >/dev/null 2>&1 || fail "python3 is missing: install Python 3.10 or newer (Debian/Ubuntu: apt-get install python3 python3-venv), then run this again."
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
  fail "ai-subtitles needs Python 3.10 or newer; python3 here is $(python3 -V 2>&1). Install a newer Python, then run this again."

if command -v uv >/dev/null 2>&1; then
  say "Installing with uv: $spec"
  uv tool install --force "$spec"
  target=$(uv tool dir --bin)/ai-subtitles
  how="uv tool"
else
  say "Installing into a virtual environment at $venv (no uv here): $spec"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" ||
      fail "python3 -m venv failed: on Debian/Ubuntu install python3-venv (apt-get install python3-venv), then run this again."
  fi
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet --upgrade "$spec"
  target=$venv/bin/ai-subtitles
  how="virtual environment $venv"
fi
[ -x "$target" ] || fail "The install finished but $target is missing; run this again, or see the messages above."

# Link into the first of these folders that is on PATH and writable (root's PATH has
# /usr/local/bin but not ~/.local/bin); else into ~/.local/bin, and say so.
bin=${AI_SUBTITLES_BIN:-}
if [ -z "$bin" ]; then
  for dir in "$HOME/.local/bin" "$HOME/bin" /usr/local/bin; do
    if on_path "$dir" && { [ -w "$dir" ] || { [ ! -e "$dir" ] && mkdir -p "$dir" 2>/dev/null; }; }; then
      bin=$dir
      break
    fi
  done
fi
bin=${bin:-$HOME/.local/bin}
mkdir -p "$bin"
if [ "$target" != "$bin/ai-subtitles" ]; then
  ln -sf "$target" "$bin/ai-subtitles"
fi

"$bin/ai-subtitles" --version
say "Installed ($how); the command is $bin/ai-subtitles."
if ! on_path "$bin"; then
  say "$bin is not on PATH: run the CLI as $bin/ai-subtitles, or add the folder to PATH with: export PATH=\"$bin:\$PATH\" (put that line in ~/.profile to keep it)."
fi
say "Next: ai-subtitles doctor"
