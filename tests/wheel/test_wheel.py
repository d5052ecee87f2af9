"""The built wheel, not the checkout, installs into a fresh environment and runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

# The NemoVideo emulator, from the tests folder (as tests/cloud/conftest.py takes it).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from emulator import Emulator, EmulatorState
from skill_runtime.manifest import manifest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("*.whl")
    return wheel


def test_twine_accepts_the_wheel_and_sdist(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    assert len(files) == 2
    out = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_wheel_carries_the_skill_files_and_license(dist: Path) -> None:
    names = set(zipfile.ZipFile(_wheel(dist)).namelist())
    version = manifest().version
    for needed in (
        "skill_runtime/_skill/SKILL.md",
        "skill_runtime/_skill/skill.yaml",
        "skill_runtime/_skill/prompts/doctor.j2",
        "skill_runtime/_skill/prompts/errors/backend_missing.j2",
        f"ai_subtitles_for_video-{version}.dist-info/licenses/LICENSE",
    ):
        assert needed in names
    metadata = zipfile.ZipFile(_wheel(dist)).read(
        f"ai_subtitles_for_video-{version}.dist-info/METADATA"
    )
    assert b"License-Expression: MIT-0" in metadata


@pytest.fixture(scope="module")
def core_env(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with the wheel and its core dependencies only (no extras)."""
    root = tmp_path_factory.mktemp("core")
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    python = env_dir / "bin" / "python"
    # No network: the core dependencies are this environment's, linked onto the new one's path.
    deps = root / "deps"
    deps.mkdir()
    script = Path(__file__).with_name("core_dependencies.py")
    subprocess.run([sys.executable, str(script), str(_wheel(dist)), str(deps)], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "core-dependencies.pth").write_text(f"{deps}\n")
    # This pip installs into the new environment (--python), which then has no pip of its own.
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
         "--no-index", "--no-deps", str(_wheel(dist))],
        check=True, capture_output=True,
    )  # fmt: skip
    return env_dir


def test_installed_wheel_runs_version_and_doctor(core_env: Path, tmp_path: Path) -> None:
    env_dir, python = core_env, core_env / "bin" / "python"
    cli = env_dir / "bin" / "ai-subtitles"
    run_env = {
        **os.environ,
        "PYTHONPATH": "",
        "AI_SUBTITLES_HOME": str(tmp_path / "home"),
        "AI_SUBTITLES_PLATFORM": "openclaw",
        "NEMO_API_BASE": "http://127.0.0.1:9",
    }

    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, env=run_env)
    assert (version.returncode, version.stdout.strip()) == (0, f"ai-subtitles {manifest().version}")

    doctor = subprocess.run(
        [str(cli), "doctor"], capture_output=True, text=True, env=run_env, cwd=tmp_path
    )
    # Only the core is installed: doctor says so, names the exact fix, and exits 4.
    assert doctor.returncode == 4, doctor.stdout + doctor.stderr
    assert "platform: OpenClaw (from AI_SUBTITLES_PLATFORM)" in doctor.stdout
    # That environment has no pip of its own, so the fix goes through uv.
    fix = f"uv pip install --python {python} 'ai-subtitles-for-video[local]'"
    assert "local backend: The local backend is not installed" in doctor.stdout
    assert fix in doctor.stdout
    # The skill files came from the wheel, not this checkout.
    where = subprocess.run(
        [str(python), "-c", "import skill_runtime.skill_files as s; print(s.skill_root())"],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=tmp_path,
    )
    assert where.stdout.strip().startswith(str(env_dir))


def test_a_core_install_works_with_the_cloud_backend(core_env: Path, tmp_path: Path) -> None:
    """No av, numpy, faster-whisper or pysubs2 here, yet every cloud action runs, and the
    exported MP4 is still checked whole (by its structure) before it takes its name."""
    python = core_env / "bin" / "python"
    missing = subprocess.run(
        [str(python), "-c", "import av"], capture_output=True, text=True, env={"PYTHONPATH": ""}
    )
    assert missing.returncode != 0 and "No module named 'av'" in missing.stderr
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 200_000)
    server = Emulator(EmulatorState(no_text_rate=0.0)).start()
    try:
        run_env = {
            **{k: v for k, v in os.environ.items() if k != "NEMO_TOKEN"},
            "PYTHONPATH": "",
            "AI_SUBTITLES_HOME": str(tmp_path / "home"),
            "NEMO_API_BASE": server.url,
            "NEMO_POLL_INTERVAL_S": "0.05",
            "NEMO_RETRY_AFTER_S": "0.05",
        }

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            argv = [str(core_env / "bin" / "ai-subtitles"), "--backend", "cloud", *args]
            argv[3:3] = ["--out", str(tmp_path / "out")]
            done = subprocess.run(
                argv, capture_output=True, text=True, env=run_env, cwd=tmp_path, timeout=60
            )
            assert done.returncode == 0, done.stdout + done.stderr
            return done

        assert "Credits: 100 available" in cli("credits").stdout
        cli("upload", str(clip))
        cli("chat", "add captions in English")
        timeline = json.loads(cli("--json", "state").stdout)["timeline"]
        assert [t["label"] for t in timeline["tracks"]] == ["Video", "Subtitles"]
        assert timeline["cue_count"] == 3
        exported = json.loads(cli("--json", "export").stdout)
    finally:
        server.stop()
    (mp4,) = [Path(m["path"]) for m in exported["media"]]
    assert mp4.parent == tmp_path / "out" and mp4.read_bytes()[4:8] == b"ftyp"
