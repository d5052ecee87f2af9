"""Output files written as one set: temporary names, verified, then renamed together.

A run either leaves a complete, checked set under its final names or leaves
the folder as it found it. A file this tool did not write (or wrote for
another source, or that was changed since) is never replaced: the set moves
to a numbered stem instead, unless the user passed `--overwrite`. Every name
is checked to lie inside the output folder, and control characters in a
source's name become `_`, so a `MEDIA:` line is always one real path.

`names` makes and shows names, `folders` checks the folder, `ledger` remembers
what this tool wrote, `verify` proves a file whole, `set` publishes them together.
"""

from __future__ import annotations

from .folders import check_folder, prepare_folder
from .ledger import LEDGER, Ledger
from .names import safe_stem, shown, where_written
from .set import Committed, OutputSet, output_set
from .verify import Expect, verify

__all__ = [
    "LEDGER",
    "Committed",
    "Expect",
    "Ledger",
    "OutputSet",
    "check_folder",
    "output_set",
    "prepare_folder",
    "safe_stem",
    "shown",
    "verify",
    "where_written",
]
