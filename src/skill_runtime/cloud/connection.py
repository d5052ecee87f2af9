"""Token, session and the recoveries the reference prescribes, around every call.

An operation is a function of (token, session). When the server says the
token is bad (1001/1010/1011) it runs once more with a renewed anonymous
token; when it says the session is gone (1002) it runs once more in a new
session, and the user is told the timeline was reset.
"""

from __future__ import annotations

import locale
import time
from collections.abc import Callable
from typing import TypeVar

from ..environment import Environment
from ..platform import attribution_headers
from ..progress import Progress
from ..settings.cloud import CloudSettings
from ..settings.skill import SkillConfig
from ..store import Store
from .auth import Auth
from .client import ApiClient, ApiFailure, parse
from .models import SessionInfo
from .sessions import SessionRecord, Sessions
from .settings import effective

T = TypeVar("T")


def locale_language(env: Environment) -> str:
    name = locale.getlocale()[0] or env.lang or "en"
    code = name.split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 and code != "c" else "en"


class Connection:
    def __init__(
        self,
        config: SkillConfig,
        store: Store,
        progress: Progress,
        version: str,
        platform: str,
        language: str | None = None,
        *,
        env: Environment,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.config = config
        self.settings: CloudSettings = effective(config.cloud, env)
        self.progress = progress
        self.language = language or locale_language(env)
        self.client = ApiClient(
            config,
            self.settings.base_url,
            attribution_headers(version, platform),
            self.settings.retry_after_s,
            sleep or time.sleep,
            read_timeout_s=self.settings.read_timeout_s,
            retry_after_max_s=self.settings.retry_after_max_s,
        )
        self.auth = Auth(
            self.client,
            store,
            self.settings.endpoints.anonymous_token,
            self.settings.token_renew_margin_s,
            env,
        )
        self.sessions = Sessions(store)
        self._session: SessionRecord | None = None

    @property
    def identity(self) -> str:
        return "user" if self.auth.user_supplied else "anonymous"

    @property
    def connected(self) -> bool:
        """Whether a token and a session of the current identity are already in hand."""
        record = self.sessions.load()
        return self.auth.has_token and record is not None and record.identity == self.identity

    def session(self) -> SessionRecord:
        if self._session is None:
            record = self.sessions.load()
            if record is None or record.identity != self.identity:
                record = self._create_session()
            self._session = record
        return self._session

    def save_session(self, record: SessionRecord) -> None:
        self._session = record
        self.sessions.save(record)

    def update_session(self, change: Callable[[SessionRecord], SessionRecord]) -> SessionRecord:
        """Load-modify-save under the store's lock, from the record on disk.

        Another command may have added an upload or a render id since this one
        started; changing our cached copy would drop theirs.
        """
        current = self.session()
        with self.sessions.locked():
            stored = self.sessions.load()
            same = stored is not None and stored.session_id == current.session_id
            updated = change(stored if same and stored is not None else current)
            self.save_session(updated)
        return updated

    def _create_session(self) -> SessionRecord:
        def create(token: str) -> SessionInfo:
            data = self.client.call(
                "POST",
                self.settings.endpoints.session,
                token=token,
                json_body={"task_name": self.settings.task_name, "language": self.language},
            )
            info: SessionInfo = parse(SessionInfo, data)
            return info

        info = self.run_plain(create)
        record = SessionRecord(
            session_id=info.session_id,
            task_id=info.task_id,
            user_id=info.user_id,
            language=self.language,
            identity=self.identity,
        )
        self.save_session(record)
        return record

    def run_plain(self, op: Callable[[str], T]) -> T:
        """Run a call that needs only a token."""
        try:
            return op(self.auth.token())
        except ApiFailure as exc:
            if exc.code != "token_invalid":
                raise
        return op(self.auth.renew())

    def run(self, op: Callable[[str, SessionRecord], T]) -> T:
        """Run a call in our session; recover once from a bad token, once from a lost session."""
        renewed = reset = False
        while True:
            try:
                return op(self.auth.token(), self.session())
            except ApiFailure as exc:
                if exc.code == "token_invalid" and not renewed:
                    renewed = True
                    self.auth.renew()
                    continue
                if exc.code == "session_missing" and not reset:
                    reset = True
                    self.reset_session()
                    continue
                raise

    def reset_session(self) -> None:
        """Start a new timeline; renders of the old session cannot be fetched any more."""
        self.sessions.forget()
        self._session = None
        self.session()
        self.progress.status("cloud/session_reset")
