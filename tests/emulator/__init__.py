"""A NemoVideo API emulator: a real HTTP server on 127.0.0.1, built from the reference page."""

from .server import Emulator
from .state import EmulatorState, Fault

__all__ = ["Emulator", "EmulatorState", "Fault"]
