"""skill.yaml as one typed model: the router's tables, errors, formats and every section."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from .base import Strict
from .cloud import CloudSettings
from .edits import EditsConfig
from .hosts import HostRule
from .local import LocalSettings
from .translation import TranslationSettings

Action = Literal["upload", "batch", "sse", "state", "credits", "export"]
ACTIONS: tuple[Action, ...] = ("upload", "batch", "sse", "state", "credits", "export")


class Intent(Strict):
    keywords: list[str]
    on_attachment: bool = False


class Suppress(Strict):
    when: list[Action]
    drop: Action
    why: str


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


class SkillConfig(Strict):
    intents: dict[Action, Intent]
    order: list[Action]
    suppress: list[Suppress]
    gui_phrases: list[GuiPhrase]
    exit_codes: dict[str, int]
    errors: dict[str, ErrorSpec]
    formats: Formats
    limits: Limits
    cloud: CloudSettings
    local: LocalSettings
    edits: EditsConfig
    translation: TranslationSettings
    hosts: list[HostRule]

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
