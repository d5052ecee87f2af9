"""Which files in output folders this tool wrote: only those may be replaced without --overwrite."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

# The store key the ledger is saved under.
LEDGER = "outputs"


class _Written(BaseModel):
    source: str
    size: int
    mtime_ns: int


class Ledger(BaseModel):
    """Which files in output folders this tool wrote, for which source, as they were then."""

    files: dict[str, _Written] = Field(default_factory=dict)

    def ours(self, path: Path, source: Path) -> bool:
        entry = self.files.get(str(path))
        if entry is None or entry.source != str(source):
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (entry.size, entry.mtime_ns)

    def record(self, path: Path, source: Path) -> None:
        st = path.stat()
        self.files[str(path)] = _Written(
            source=str(source), size=st.st_size, mtime_ns=st.st_mtime_ns
        )

    def prune(self) -> None:
        self.files = {k: v for k, v in self.files.items() if Path(k).exists()}
