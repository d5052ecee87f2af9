"""Argos Translate packs without argostranslate: download, verify, install, load.

A pack (`.argosmodel`) is a zip holding one folder with `metadata.json`
(from_code, to_code, package_version), a CTranslate2 model in `model/` and a
`sentencepiece.model`. `ctranslate2` (already there for faster-whisper) and
`sentencepiece` run it directly, so no torch or stanza is ever installed.
Packs come from the Argos package index (a JSON list of packages with
from_code, to_code, package_version and links), whose address
AI_SUBTITLES_ARGOS_INDEX can replace. A pack is installed only after it
unzips, names the pair asked for and loads; it is unpacked beside the store
folder and renamed into place, so a half-installed pack never exists.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from ...environment import Environment
from ...errors import SkillError
from ...progress import Progress
from ...settings.translation import ArgosSettings
from ...store import home

# Older packs (CTranslate2 2.x) have no model/config.json, so it is not required.
_MODEL_FILES = ("model/model.bin", "sentencepiece.model")


class PackMeta(BaseModel):
    """The fields of a pack's metadata.json (and of an index entry) we rely on."""

    model_config = ConfigDict(extra="ignore")

    from_code: str
    to_code: str
    package_version: str = ""
    links: list[str] = []


def store_dir(settings: ArgosSettings) -> Path:
    return home() / settings.store_folder


def _pair_dir(settings: ArgosSettings, source: str, target: str) -> Path:
    return store_dir(settings) / f"{source}_{target}"


def installed_pairs(settings: ArgosSettings) -> set[tuple[str, str]]:
    """(from, to) of every installed pack: a folder whose metadata names its own pair."""
    root = store_dir(settings)
    pairs: set[tuple[str, str]] = set()
    if not root.is_dir():
        return pairs
    for folder in root.iterdir():
        try:
            meta = PackMeta.model_validate_json((folder / "metadata.json").read_bytes())
        except (OSError, ValidationError):
            continue
        if folder.name == f"{meta.from_code}_{meta.to_code}":
            pairs.add((meta.from_code, meta.to_code))
    return pairs


def route(pairs: set[tuple[str, str]], source: str, target: str, pivot: str) -> list[str] | None:
    """Languages to pass through, source first: direct, via the pivot, or None."""
    if (source, target) in pairs:
        return [source, target]
    if (source, pivot) in pairs and (pivot, target) in pairs:
        return [source, pivot, target]
    return None


def needed(source: str, target: str, pivot: str) -> list[tuple[str, str]]:
    """The packs to fetch for a pair, direct first; the pivot pair when no direct pack exists."""
    if pivot in (source, target):
        return [(source, target)]
    return [(source, pivot), (pivot, target)]


@dataclass
class Pack:
    """A loaded pack: a CTranslate2 translator and its SentencePiece model."""

    translator: Any
    tokenizer: Any

    def translate(self, texts: list[str], beam_size: int, batch_size: int) -> list[str]:
        """Every text in one batched call; same count and order."""
        pieces = self.tokenizer.encode(texts, out_type=str)
        results = self.translator.translate_batch(
            pieces,
            beam_size=beam_size,
            max_batch_size=batch_size,
            replace_unknowns=True,
            length_penalty=0.2,
        )
        return [
            "".join(result.hypotheses[0]).replace("▁", " ").strip() if result.hypotheses else ""
            for result in results
        ]


def _load(folder: Path) -> Pack:
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(str(folder / "model"), device="cpu", inter_threads=1)
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    return Pack(translator=translator, tokenizer=tokenizer)


@cache
def _loaded(folder: str, version: float) -> Pack:
    return _load(Path(folder))


def load(settings: ArgosSettings, source: str, target: str) -> Pack:
    """The installed pack for the pair, loaded once per process (reloaded if reinstalled)."""
    folder = _pair_dir(settings, source, target)
    try:
        return _loaded(str(folder), (folder / "metadata.json").stat().st_mtime)
    except Exception as exc:  # ctranslate2 and sentencepiece raise RuntimeError/OSError variants
        raise SkillError(
            "pack_invalid", source=source, target=target, problem="it does not load"
        ) from exc


def index_url(settings: ArgosSettings, env: Environment) -> str:
    return env.get(settings.index_env) or settings.index_url


def _get(client: httpx.Client, url: str, what: str) -> httpx.Response:
    try:
        response = client.get(url)
    except httpx.TimeoutException as exc:
        raise SkillError("pack_download_failed", what=what, detail="timed out") from exc
    except httpx.HTTPError as exc:
        raise SkillError("pack_download_failed", what=what, detail=type(exc).__name__) from exc
    if response.status_code != 200:
        raise SkillError("pack_download_failed", what=what, detail=f"HTTP {response.status_code}")
    return response


def fetch_index(client: httpx.Client, url: str) -> list[PackMeta]:
    """Translation packages listed by the index at `url`; entries without a link are left out."""
    body = _get(client, url, "the Argos package index").content
    try:
        raw = json.loads(body)
    except ValueError as exc:
        raise SkillError(
            "pack_download_failed", what="the Argos package index", detail="not JSON"
        ) from exc
    entries = raw if isinstance(raw, list) else []
    out: list[PackMeta] = []
    for entry in entries:
        try:
            meta = PackMeta.model_validate(entry)
        except ValidationError:
            continue
        if meta.links and entry.get("type", "translate") == "translate":
            out.append(meta)
    return out


def _download(
    client: httpx.Client, meta: PackMeta, into: Path, progress: Progress, label: str
) -> Path:
    """The pack's bytes in a temporary file, with a progress bar on stderr."""
    path = into / "download.argosmodel"
    last: Exception | None = None
    for link in meta.links:
        try:
            with client.stream("GET", link) as response, path.open("wb") as out:
                if response.status_code != 200:
                    raise SkillError(
                        "pack_download_failed", what=label, detail=f"HTTP {response.status_code}"
                    )
                total = int(response.headers.get("content-length") or 0)
                done = 0
                for chunk in response.iter_bytes(1 << 16):
                    out.write(chunk)
                    done += len(chunk)
                    progress.bar("progress/downloading_pack", done, total, pack=label)
            progress.finish()
            return path
        except (httpx.HTTPError, SkillError) as exc:
            last = exc
    if isinstance(last, SkillError):
        raise last
    raise SkillError("pack_download_failed", what=label, detail=type(last).__name__)


def _unpack(archive: Path, into: Path, source: str, target: str) -> Path:
    """The pack's folder, checked: a zip, one folder, the model files, the pair asked for."""

    def refuse(problem: str) -> SkillError:
        return SkillError("pack_invalid", source=source, target=target, problem=problem)

    try:
        with zipfile.ZipFile(archive) as pack:
            if pack.testzip() is not None:
                raise refuse("the archive is damaged")
            names = pack.namelist()
            tops = {name.split("/", 1)[0] for name in names}
            if len(tops) != 1 or any(name.startswith("/") or ".." in name for name in names):
                raise refuse("it is not one pack folder")
            pack.extractall(into)
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse("the archive is damaged") from exc
    folder = into / tops.pop()
    missing = [name for name in ("metadata.json", *_MODEL_FILES) if not (folder / name).is_file()]
    if missing:
        raise refuse(f"{missing[0]} is missing")
    try:
        meta = PackMeta.model_validate_json((folder / "metadata.json").read_bytes())
    except ValidationError as exc:
        raise refuse("its metadata.json is not valid") from exc
    if (meta.from_code, meta.to_code) != (source, target):
        raise refuse(f"it translates {meta.from_code}→{meta.to_code}")
    return folder


def _place(settings: ArgosSettings, archive: Path, work: Path, source: str, target: str) -> Path:
    """Unpack, verify and test-load `archive`, then move it into the store; returns its folder."""
    folder = _unpack(archive, work / "unpacked", source, target)
    try:
        pack = _load(folder)
        pack.translate(["Hello."], beam_size=1, batch_size=1)
    except Exception as exc:  # a model that does not load or run is refused
        raise SkillError(
            "pack_invalid", source=source, target=target, problem="it does not load"
        ) from exc
    final = _pair_dir(settings, source, target)
    old = work / "previous"
    if final.exists():
        final.rename(old)
    folder.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def install(
    client: httpx.Client,
    settings: ArgosSettings,
    index: list[PackMeta],
    source: str,
    target: str,
    progress: Progress,
    index_at: str,
) -> Path:
    """Download, verify, test-load and move one pack into the store; returns its folder."""
    offers = [m for m in index if (m.from_code, m.to_code) == (source, target)]
    if not offers:
        raise SkillError("pack_not_offered", source=source, target=target, index=index_at)
    meta = max(offers, key=lambda m: [int(p) for p in m.package_version.split(".") if p.isdigit()])
    root = store_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".incoming-") as tmp:
        work = Path(tmp)
        archive = _download(client, meta, work, progress, f"{source}→{target}")
        return _place(settings, archive, work, source, target)


def pair_of(archive: Path) -> tuple[str, str]:
    """The pair a pack file's metadata.json names, read before anything is unpacked."""

    def refuse(problem: str) -> SkillError:
        return SkillError("pack_invalid", file=str(archive), source="", target="", problem=problem)

    try:
        with zipfile.ZipFile(archive) as pack:
            metas = [
                n for n in pack.namelist() if n.count("/") == 1 and n.endswith("/metadata.json")
            ]
            if len(metas) != 1:
                raise refuse("it is not one pack folder with a metadata.json")
            meta = PackMeta.model_validate_json(pack.read(metas[0]))
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse("it is not a readable zip archive") from exc
    except ValidationError as exc:
        raise refuse("its metadata.json is not valid") from exc
    return meta.from_code, meta.to_code


def install_file(settings: ArgosSettings, archive: Path, source: str, target: str) -> Path:
    """A pack the user already has, with the same checks as a downloaded one."""
    root = store_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".incoming-") as tmp:
        try:
            return _place(settings, archive, Path(tmp), source, target)
        except SkillError as exc:
            exc.context["file"] = str(archive)
            raise
