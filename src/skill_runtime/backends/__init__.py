"""Pick a backend by name; each is imported only when chosen."""

from __future__ import annotations

import importlib

from ..context import Context
from ..errors import SkillError
from .base import Backend

__all__ = ["BACKENDS", "Backend", "get_backend"]

_BACKENDS = {
    "local": ("skill_runtime.backends.local", "LocalBackend"),
    "cloud": ("skill_runtime.backends.cloud", "CloudBackend"),
}
BACKENDS = tuple(_BACKENDS)


def get_backend(name: str, ctx: Context) -> Backend:
    module_name, class_name = _BACKENDS[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SkillError("backend_missing", backend=name, missing=exc.name or module_name) from exc
    cls: type[Backend] = getattr(module, class_name)
    return cls(ctx)
