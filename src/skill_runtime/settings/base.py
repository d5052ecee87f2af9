"""The one strict base every settings model shares, and the frame names they use."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Aspect = Literal["16:9", "9:16", "1:1", "source"]
# How a source goes into a frame of another shape: blurred fill, crop, or bars.
FitMode = Literal["blur", "crop", "pad"]


class Strict(BaseModel):
    """A skill.yaml section: unknown keys are an error, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)
