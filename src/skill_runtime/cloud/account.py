"""The account's side of the API: the credit balance, and a way on when it runs out."""

from __future__ import annotations

from typing import Any

from ..errors import SkillError
from .client import parse
from .connection import Connection
from .models import ClaimToken, Credits


def balance(conn: Connection) -> Credits:
    data = conn.run_plain(
        lambda token: conn.client.call("GET", conn.settings.endpoints.credits, token=token)
    )
    answer: Credits = parse(Credits, data)
    return answer


def way_out_of_credits(conn: Connection) -> dict[str, Any]:
    """Out of credits: a user's own token needs a top-up; an anonymous one a link to claim it.

    The claim link keeps the anonymous work; when the server will not give
    one, the registration link is the next best thing.
    """
    if conn.auth.user_supplied:
        return {"anonymous": False, "link": None}
    session = conn.session()
    try:
        data = conn.run_plain(
            lambda token: conn.client.call(
                "POST",
                conn.settings.endpoints.claim,
                token=token,
                json_body={"task_id": session.task_id, "session_id": session.session_id},
            )
        )
        claim: ClaimToken = parse(ClaimToken, data)
        link = conn.settings.claim_url.format(claim_token=claim.claim_token)
    except SkillError:
        user = conn.auth.record.user_id or session.user_id or ""
        link = conn.settings.register_url.format(user_id=user)
    return {"anonymous": True, "link": link}
