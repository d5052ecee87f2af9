"""The typed `hosts:` section of skill.yaml: how each agent host is recognised."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Strict


class HostRule(Strict):
    """One host: its name, what the user reads, the header value and its environment markers."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    header: Literal["clawhub", "cursor", "unknown"]
    # Variable -> the value it must have; "" means any non-empty value.
    env: dict[str, str] = Field(default_factory=dict)
    # A path rule's verdict (see _from_install_path) that means this host.
    install_path: Literal["clawhub", "cursor"] | None = None
