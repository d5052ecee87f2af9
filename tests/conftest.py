"""Suite-wide settings: property tests are derandomized on CI so a red run is reproducible,
and Ctrl-C reaches the CLIs the tests start even when the suite runs in the background."""

from __future__ import annotations

import os
import signal

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# A shell starts background jobs with SIGINT ignored, and children inherit that: the
# tests that press Ctrl-C on a CLI would then test nothing. A person's terminal does not.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
