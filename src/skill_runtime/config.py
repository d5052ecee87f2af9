"""skill.yaml as typed models: the runtime's data, checked once at load."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .errors import SkillError
from .local.edits.settings import EditsConfig
from .local.settings import LocalSettings
from .local.translate.settings import TranslationSettings
from .platform import HostRule
from .skill_files import skill_root

Action = Literal["upload", "batch", "sse", "state", "credits", "export"]
ACTIONS: tuple[Action, ...] = ("upload", "batch", "sse", "state", "credits", "export")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Intent(Strict):
    keywords: list[str]
    on_attachment: bool = False


class Suppress(Strict):
    when: list[Action]
    drop: Action
    why: str = "a question never starts it"


class GuiPhrase(Strict):
    phrases: list[str]
    action: Action | Literal["route"]


class ErrorSpec(Strict):
    exit: str
    api_codes: list[int] = Field(default_factory=list)
    http_status: int | None = None


class Formats(Strict):
    video: list[str]
    image: list[str]
    audio: list[str]

    @property
    def all(self) -> list[str]:
        return [*self.video, *self.image, *self.audio]


class Limits(Strict):
    max_upload_mb: int


class Endpoints(Strict):
    anonymous_token: str
    session: str
    chat: str
    upload: str
    credits: str
    state: str
    render: str
    render_poll: str
    render_cancel: str
    claim: str


class CaptionInstruction(Strict):
    """How each `caption` option is worded in the instruction sent to NemoVideo."""

    captions: str
    burn: str
    soft: str
    aspect: dict[str, str]
    fit: dict[str, str]
    style: dict[str, str]
    platform: dict[str, str]


class CloudSettings(Strict):
    base_url: str
    app_name: str
    task_name: str
    poll_interval_s: float
    retry_after_s: float
    still_working_every_s: float
    stream_timeout_s: float
    render_timeout_s: float
    token_renew_margin_s: float
    read_timeout_s: float = 120.0
    retry_after_max_s: float = 120.0
    max_reply_chars: int = 20000
    endpoints: Endpoints
    claim_url: str
    register_url: str
    caption_instruction: CaptionInstruction


class SkillConfig(Strict):
    intents: dict[Action, Intent]
    order: list[Action]
    suppress: list[Suppress] = Field(default_factory=list)
    skip_sse: list[Action]
    gui_phrases: list[GuiPhrase]
    exit_codes: dict[str, int]
    errors: dict[str, ErrorSpec]
    formats: Formats
    limits: Limits
    cloud: CloudSettings
    local: LocalSettings = Field(default_factory=LocalSettings)
    edits: EditsConfig = Field(default_factory=EditsConfig)
    translation: TranslationSettings = Field(default_factory=TranslationSettings)
    hosts: list[HostRule] = Field(default_factory=list)

    @field_validator("intents")
    @classmethod
    def _every_action_has_an_intent(cls, intents: dict[Action, Intent]) -> dict[Action, Intent]:
        missing = [a for a in ACTIONS if a not in intents]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        return intents

    @field_validator("order")
    @classmethod
    def _order_is_complete(cls, order: list[Action]) -> list[Action]:
        if sorted(order) != sorted(ACTIONS):
            raise ValueError("must list each action exactly once")
        return order

    @field_validator("errors")
    @classmethod
    def _exits_are_known(
        cls, errors: dict[str, ErrorSpec], info: ValidationInfo
    ) -> dict[str, ErrorSpec]:
        known = info.data.get("exit_codes", {})
        for code, spec in errors.items():
            if spec.exit not in known:
                raise ValueError(f"{code}.exit names unknown exit code {spec.exit!r}")
        return errors

    def exit_status(self, error_code: str) -> int:
        spec = self.errors.get(error_code)
        return self.exit_codes[spec.exit] if spec else self.exit_codes["internal"]

    def error_for_api_code(self, api_code: int) -> str | None:
        return next((c for c, s in self.errors.items() if api_code in s.api_codes), None)


def _where(error: dict[str, Any]) -> str:
    # pydantic adds union-branch tags such as "literal['a','b']" to the location.
    parts = [str(p) for p in error["loc"] if not any(c in str(p) for c in "[(")]
    return ".".join(parts) or "(top level)"


def load_config(path: Path) -> SkillConfig:
    """Parse and validate; any problem becomes one `config_invalid` error naming file and key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SkillError(
            "config_invalid", file=str(path), key="(file)", problem=exc.strerror
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise SkillError(
            "config_invalid", file=str(path), key=where, problem="not valid YAML"
        ) from exc
    if not isinstance(raw, dict):
        raise SkillError(
            "config_invalid", file=str(path), key="(top level)", problem="not a mapping"
        )
    try:
        return SkillConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SkillError(
            "config_invalid", file=str(path), key=_where(dict(first)), problem=first["msg"]
        ) from exc


@cache
def config() -> SkillConfig:
    return load_config(skill_root() / "skill.yaml")
