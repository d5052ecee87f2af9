"""Who we are to the API: the user's NEMO_TOKEN, or an anonymous token we keep.

A user-supplied token is never replaced behind the user's back: if the server
rejects it, the user hears so. An anonymous token is ours to renew, once,
when it is close to expiry or rejected. The client id that obtained it is
generated once and kept, so renewals stay the same anonymous user.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from pydantic import BaseModel

from ..environment import Environment
from ..errors import SkillError
from ..store import Store
from .client import ApiClient, ApiFailure, parse
from .models import AnonymousToken

STORE_NAME = "cloud_auth"


class AuthRecord(BaseModel):
    client_id: str
    token: str | None = None
    user_id: str | None = None
    expires_at: datetime | None = None
    credits: float | None = None


def _token_shaped(token: str) -> bool:
    """Printable ASCII without spaces: anything else cannot travel in an HTTP header."""
    return all(33 <= ord(ch) <= 126 for ch in token)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Auth:
    def __init__(
        self,
        client: ApiClient,
        store: Store,
        endpoint: str,
        renew_margin_s: float,
        env: Environment,
    ) -> None:
        self.client = client
        self.store = store
        self.endpoint = endpoint
        self.renew_margin = timedelta(seconds=renew_margin_s)
        token = env.nemo_token.get_secret_value() if env.nemo_token else ""
        self.user_token = token.strip() or None
        if self.user_token is not None and not _token_shaped(self.user_token):
            raise SkillError("token_malformed")
        self.record = store.load_kept(STORE_NAME, AuthRecord) or self._new_record()

    @property
    def user_supplied(self) -> bool:
        return self.user_token is not None

    @property
    def has_token(self) -> bool:
        return self.user_supplied or self._usable(self.record)

    def _new_record(self) -> AuthRecord:
        record = AuthRecord(client_id=str(uuid.uuid4()))
        self.store.save(STORE_NAME, record)
        return record

    def _usable(self, record: AuthRecord) -> bool:
        if not record.token:
            return False
        if record.expires_at is None:
            return True
        expires = record.expires_at
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=timezone.utc)
        return expires - _now() > self.renew_margin

    def token(self) -> str:
        if self.user_token is not None:
            return self.user_token
        if self.record.token and self._usable(self.record):
            return self.record.token
        return self.fetch()

    def renew(self) -> str:
        """After a 1001/1010/1011: a fresh anonymous token, or a clear no for a user token."""
        if self.user_supplied:
            raise SkillError("user_token_rejected")
        return self.fetch()

    def fetch(self) -> str:
        try:
            answer = self._request()
        except ApiFailure as exc:
            if exc.code != "client_id_missing":
                raise
            # The server did not accept our client id: start over with a new one, once.
            self.record = self._new_record()
            answer = self._request()
        self.record = self.record.model_copy(
            update={
                "token": answer.token,
                "user_id": answer.user_id,
                "expires_at": answer.expires_at,
                "credits": answer.credits,
            }
        )
        self.store.save(STORE_NAME, self.record)
        return answer.token

    def _request(self) -> AnonymousToken:
        data = self.client.call(
            "POST", self.endpoint, token=None, headers={"X-Client-Id": self.record.client_id}
        )
        result: AnonymousToken = parse(AnonymousToken, data)
        return result
