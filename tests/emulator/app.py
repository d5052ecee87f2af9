"""The emulator's HTTP surface: every endpoint in the reference, both SSE styles."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import io
import json
import re
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import av
import numpy as np
from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .state import EmulatorState, Fault, Job

ACCEPTED = {
    "mp4",
    "mov",
    "avi",
    "webm",
    "mkv",
    "jpg",
    "png",
    "gif",
    "webp",
    "mp3",
    "wav",
    "m4a",
    "aac",
}
LANGUAGES = ["English", "Spanish", "French", "German", "Chinese", "Japanese", "Portuguese"]
# Frame sizes the agent switches the project to when an instruction names a ratio.
FRAMES = {"16:9": (1920, 1080), "9:16": (1080, 1920), "1:1": (1080, 1080)}
ATTRIBUTION = ("x-skill-source", "x-skill-version", "x-skill-platform")


class Dropped(Exception):
    """Raised inside a streaming body so uvicorn cuts the connection mid-response."""


@functools.cache
def _real_mp4() -> bytes:
    """A real, decodable one-second MP4 (the client verifies what it downloads)."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for k in range(10):
            frame = av.VideoFrame.from_ndarray(
                np.full((64, 64, 3), k * 20, dtype=np.uint8), format="rgb24"
            )
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return buffer.getvalue()


def _nested(depth: int) -> bytes:
    return b'{"code": 0, "message": "success", "data": ' + b"[" * depth + b"]" * depth + b"}"


def build_app(state: EmulatorState) -> Any:
    def ok(data: Any) -> Response:
        if state.deep_json:
            return Response(_nested(state.deep_json), media_type="application/json")
        if state.envelope == "success":
            return JSONResponse({"success": True, "data": data, "error": None})
        return JSONResponse({"code": 0, "message": "success", "data": data})

    def failure(fault: Fault) -> Response:
        if fault.drop:

            async def cut() -> AsyncIterator[bytes]:
                yield b'{"code": 0, "data": {'
                raise Dropped

            return StreamingResponse(cut(), media_type="application/json")
        if fault.http is not None:
            return JSONResponse(
                {"detail": fault.message}, status_code=fault.http, headers=fault.headers
            )
        status = 401 if fault.code in (1001, 1010, 1011) else 200
        if state.envelope == "success":
            body = {
                "success": False,
                "data": None,
                "error": {"code": fault.code, "message": fault.message},
            }
            return JSONResponse(body, status_code=status)
        return JSONResponse(
            {"code": fault.code, "message": fault.message, "data": None}, status_code=status
        )

    def log(request: Request) -> None:
        state.requests.append(
            {"method": request.method, "path": request.url.path, "headers": dict(request.headers)}
        )

    def guard(request: Request, endpoint: str) -> tuple[str | None, Response | None]:
        """Common front: log, injected fault, then the token check."""
        log(request)
        fault = state.take_fault(endpoint)
        if fault is not None and not fault.in_stream:
            return None, failure(fault)
        if fault is not None:
            state.inject(endpoint, fault)  # put back for the stream to use
        user = state.user_for(request.headers.get("authorization"))
        if user is None:
            return None, failure(Fault(code=1001, message="token expired or invalid"))
        return user, None

    def session_or_fail(sid: str) -> tuple[dict[str, Any] | None, Response | None]:
        session = state.sessions.get(sid)
        if session is None:
            return None, failure(Fault(code=1002, message="session not found"))
        return session, None

    async def anonymous_token(request: Request) -> Response:
        log(request)
        fault = state.take_fault("token")
        if fault is not None:
            return failure(fault)
        client_id = request.headers.get("x-client-id")
        if not client_id:
            return JSONResponse({"detail": "X-Client-Id header is required"}, status_code=400)
        issued = state.issue_token(client_id)
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(issued["expires"]))
        return ok(
            {
                "token": issued["token"],
                "user_id": issued["user_id"],
                "expires_at": expires,
                "credits": 100,
            }
        )

    async def create_session(request: Request) -> Response:
        user, error = guard(request, "session")
        if error:
            return error
        body = await request.json()
        sid = str(secrets.randbelow(10**18) + 10**18)
        task = f"task_{secrets.token_hex(4)}"
        state.sessions[sid] = {
            "task_id": task,
            "user_id": user,
            "language": body.get("language"),
            "task_name": body.get("task_name"),
            "draft": {"t": [], "d": 0, "m": {"title": "project", "width": 1920, "height": 1080}},
        }
        return ok({"task_id": task, "session_id": sid, "user_id": user})

    async def credits(request: Request) -> Response:
        _, error = guard(request, "credits")
        if error:
            return error
        c = state.credits
        return ok(
            {
                "available": c["available"],
                "frozen": c["frozen"],
                "total": c["available"] + c["frozen"],
            }
        )

    async def read_state(request: Request) -> Response:
        _, error = guard(request, "state")
        if error:
            return error
        session, error = session_or_fail(request.path_params["sid"])
        if error or session is None:
            return error or failure(Fault(code=1002))
        return ok(
            {
                "session_id": request.path_params["sid"],
                "task_id": session["task_id"],
                "task_name": session["task_name"],
                "state": {
                    "video_infos": [],
                    "draft": session["draft"],
                    "canvas_config": {"width": 1920, "height": 1080},
                    "video_analyses": [],
                    "generated_media": [],
                },
            }
        )

    def add_video(session: dict[str, Any], name: str) -> None:
        draft = session["draft"]
        if not any(t["tt"] == 0 for t in draft["t"]):
            draft["t"].append({"tt": 0, "sg": [{"s": 0, "d": 12000, "m": {"name": name}}], "m": {}})
            draft["d"] = max(draft["d"], 12000)

    async def upload(request: Request) -> Response:
        _, error = guard(request, "upload")
        if error:
            return error
        session, error = session_or_fail(request.path_params["sid"])
        if error or session is None:
            return error or failure(Fault(code=1002))
        kind = request.headers.get("content-type", "")
        files: list[dict[str, Any]] = []
        if kind.startswith("application/json"):
            body = await request.json()
            for url in body.get("urls", []):
                files.append(
                    {"filename": url.rsplit("/", 1)[-1] or "video.mp4", "size": 0, "hash": ""}
                )
        else:
            files = await _parse_multipart(request, kind)
        for f in files:
            ext = f["filename"].rsplit(".", 1)[-1].lower()
            if ext not in ACCEPTED:
                return failure(
                    Fault(code=4001, message=f"unsupported file type; accepted: {sorted(ACCEPTED)}")
                )
            if f["size"] > state.max_upload_bytes:
                return failure(Fault(code=4002, message="file too large (max 500MB)"))
        infos = []
        for f in files:
            add_video(session, f["filename"])
            infos.append(
                {
                    "filename": f["filename"],
                    "file_type": "video",
                    "cdn_url": f"https://cdn.example/{f['filename']}",
                    "duration": 12.0,
                    "width": 1920,
                    "height": 1080,
                    "fps": 30,
                    "hash": f["hash"],
                }
            )
        return ok({"files": infos, "session_state_applied": True})

    async def _parse_multipart(request: Request, kind: str) -> list[dict[str, Any]]:
        _, params = parse_options_header(kind)
        boundary = params[b"boundary"]
        files: list[dict[str, Any]] = []
        headers: dict[bytes, bytes] = {}
        current: dict[str, Any] = {}
        field_name = [b""]

        def on_header_field(data: bytes, start: int, end: int) -> None:
            field_name[0] += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            headers[field_name[0].lower()] = (
                headers.get(field_name[0].lower(), b"") + data[start:end]
            )

        def on_header_end() -> None:
            field_name[0] = b""

        def on_headers_finished() -> None:
            _, opts = parse_options_header(headers.get(b"content-disposition", b""))
            current.update(
                filename=opts.get(b"filename", b"").decode(), size=0, sha=hashlib.sha256()
            )

        def on_part_data(data: bytes, start: int, end: int) -> None:
            current["size"] += end - start
            current["sha"].update(data[start:end])

        def on_part_end() -> None:
            files.append(
                {
                    "filename": current["filename"],
                    "size": current["size"],
                    "hash": current["sha"].hexdigest()[:16],
                }
            )
            state.uploaded_bytes += current["size"]
            headers.clear()
            current.clear()

        parser = MultipartParser(
            boundary,
            {
                "on_header_field": on_header_field,
                "on_header_value": on_header_value,
                "on_header_end": on_header_end,
                "on_headers_finished": on_headers_finished,
                "on_part_data": on_part_data,
                "on_part_end": on_part_end,
            },
        )
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        return files

    def apply_edit(session: dict[str, Any], text: str) -> str | None:
        """Change the draft the way the agent would; the reply, or None when not an edit."""
        lower = text.lower()
        draft = session["draft"]
        if "caption" in lower or "subtitle" in lower:
            langs = [lang for lang in LANGUAGES if lang.lower() in lower] or ["English"]
            burned = "burn" in lower and not re.search(r"(instead of|not|without) burn", lower)
            for lang in langs:
                cues = [
                    {"s": i * 4000, "d": 3500, "m": {"text": f"{lang} line {i + 1}"}}
                    for i in range(3)
                ]
                meta = {"kind": "Subtitles", "name": lang, "burned": burned}
                draft["t"].append({"tt": 7, "sg": cues, "m": meta})
            for ratio, (width, height) in FRAMES.items():
                if ratio in lower:
                    draft["m"] |= {"width": width, "height": height}
            names = " and ".join(langs)
            return f"Added {names} captions. Preview in timeline to check them."
        if "music" in lower or "bgm" in lower:
            draft["t"].append(
                {
                    "tt": 1,
                    "sg": [{"s": 0, "d": 10000, "m": {"name": "Lo-fi"}}],
                    "m": {"kind": "BGM", "volume": 0.35},
                }
            )
            return "Added a Lo-fi background track at 35% volume."
        match = re.search(r"title\s+[\"“']?([^\"”']+)", text, re.IGNORECASE)
        if match:
            draft["t"].append(
                {
                    "tt": 7,
                    "sg": [{"s": 0, "d": 3000, "m": {"text": match.group(1).strip()}}],
                    "m": {},
                }
            )
            return f'Added the title "{match.group(1).strip()}".'
        return None

    def adk_events(reply: str | None, tool: str) -> list[str]:
        inv = f"e-{secrets.token_hex(4)}"
        events: list[dict[str, Any]] = [
            {
                "content": {
                    "role": "model",
                    "parts": [{"thought": True, "text": "Planning the edit."}],
                },
                "author": "nemo",
                "partial": False,
                "id": f"{inv}-0",
            },
            {
                "content": {
                    "role": "model",
                    "parts": [{"functionCall": {"id": "fc1", "name": tool, "args": {}}}],
                },
                "author": "nemo",
                "id": f"{inv}-1",
            },
            {
                "content": {
                    "role": "user",
                    "parts": [
                        {"functionResponse": {"id": "fc1", "name": tool, "response": {"ok": True}}}
                    ],
                },
                "author": "nemo",
                "id": f"{inv}-2",
            },
        ]
        if reply:
            half = len(reply) // 2
            events += [
                {
                    "content": {"role": "model", "parts": [{"text": reply[:half]}]},
                    "partial": True,
                    "id": f"{inv}-p1",
                },
                {
                    "content": {"role": "model", "parts": [{"text": reply[half:]}]},
                    "partial": True,
                    "id": f"{inv}-p2",
                },
                {
                    "content": {"role": "model", "parts": [{"text": reply}]},
                    "partial": False,
                    "id": f"{inv}-3",
                },
                {
                    "content": {"role": "model", "parts": [{"text": reply}]},
                    "partial": False,
                    "id": f"{inv}-3",
                },
            ]
        events.append({"turnComplete": True, "id": f"{inv}-4"})
        return [json.dumps(e) for e in events]

    def flat_events(reply: str | None, tool: str) -> list[str]:
        events: list[dict[str, Any]] = [
            {"type": "tool_call", "name": tool, "args": {}},
            {"type": "tool_result", "name": tool, "content": {"ok": True}},
        ]
        if reply:
            events += [
                {"type": "text", "content": reply[: len(reply) // 2]},
                {"type": "text", "content": reply},
            ]
        return [json.dumps(e) for e in events]

    async def run_sse(request: Request) -> Response:
        _, error = guard(request, "chat")
        if error:
            return error
        body = await request.json()
        session, error = session_or_fail(str(body.get("session_id")))
        if error or session is None:
            return error or failure(Fault(code=1002))
        fault = state.take_fault("chat")
        text = body["new_message"]["parts"][0]["text"]
        reply = apply_edit(session, text)
        if reply is not None and state.rng.random() < state.no_text_rate:
            reply = None
        elif reply is None:
            reply = (
                "I can add captions, translate them, or change their style. "
                "Click Export when you are happy."
            )
        tool = "edit_timeline"
        payloads = adk_events(reply, tool) if state.sse_style == "adk" else flat_events(reply, tool)

        async def stream() -> AsyncIterator[str]:
            yield ": connected\n\n"
            for _ in range(state.heartbeats):
                yield (
                    'data: {"type": "heartbeat"}\n\n' if state.sse_style == "flat" else "data:\n\n"
                )
                if state.heartbeat_every_s:
                    await asyncio.sleep(state.heartbeat_every_s)
            if state.endless_line_bytes:
                yield "data: "
                piece = "x" * 65536
                for _ in range(state.endless_line_bytes // len(piece)):
                    yield piece
            if state.event_data_lines:
                line = "data: " + "y" * 1024 + "\n"
                for _ in range(state.event_data_lines):
                    yield line
                yield "\n"
            if state.big_event_chars:
                big = {"type": "text", "content": "x" * state.big_event_chars}
                yield f"data: {json.dumps(big)}\n\n"
            for i in range(state.bench_events):
                chunk = {
                    "content": {"role": "model", "parts": [{"text": f"w{i} "}]},
                    "partial": True,
                }
                yield f"data: {json.dumps(chunk)}\n\n"
            for n, payload in enumerate(payloads):
                if fault is not None and n == 2:
                    if fault.drop:
                        raise Dropped
                    if fault.code is not None:
                        error_event = {"error": fault.message, "code": fault.code}
                        yield f"data: {json.dumps(error_event)}\n\n"
                        return
                    yield f"data: {json.dumps({'error': fault.message})}\n\n"
                    return
                if state.event_delay_s:
                    await asyncio.sleep(state.event_delay_s)
                yield f"data: {payload}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream")

    async def submit_render(request: Request) -> Response:
        _, error = guard(request, "render")
        if error:
            return error
        if state.require_attribution and not all(request.headers.get(h) for h in ATTRIBUTION):
            return JSONResponse({"detail": "export requires a subscription"}, status_code=402)
        body = await request.json()
        if body.get("output") != {"format": "mp4", "quality": "high"} or "draft" not in body:
            return JSONResponse({"detail": "bad render request"}, status_code=422)
        job = Job(
            id=body["id"],
            session_id=str(body["sessionId"]),
            draft=body["draft"],
            fail=state.render_fails,
        )
        state.jobs[job.id] = job
        return ok({"id": job.id, "status": "queued"})

    async def poll_render(request: Request) -> Response:
        _, error = guard(request, "poll")
        if error:
            return error
        job = state.jobs.get(request.path_params["rid"])
        if job is None:
            return JSONResponse({"detail": "render not found"}, status_code=404)
        if job.status not in ("cancelled", "completed", "failed"):
            job.polls += 1
            if job.polls >= state.polls_to_complete:
                job.status = "failed" if job.fail else "completed"
            else:
                job.status = "processing"
        progress = min(100, round(job.polls * 100 / max(1, state.polls_to_complete)))
        url = (
            f"{str(request.base_url).rstrip('/')}/files/{job.id}.mp4"
            if job.status == "completed"
            else None
        )
        shape = state.poll_shape if state.poll_shape != "cycle" else (job.polls % 3) + 1
        if url and state.download_link:
            url = state.download_link
        output = {"url": url, "duration": 12.0, "size": state.video_bytes} if url else None
        if shape == 1:
            return JSONResponse({"status": job.status, "progress": progress, "output": output})
        if shape == 2:
            return JSONResponse(
                {"taskId": job.id, "status": job.status, "progress": progress, "output": output}
            )
        return JSONResponse(
            {
                "success": True,
                "data": {
                    "id": job.id,
                    "status": job.status,
                    "progress": progress,
                    "outputUrl": url,
                    "createdAt": "2026-01-01T00:00:00Z",
                    "completedAt": None,
                },
            }
        )

    async def cancel_render(request: Request) -> Response:
        _, error = guard(request, "cancel")
        if error:
            return error
        job = state.jobs.get(request.path_params["rid"])
        if job is None:
            return JSONResponse({"detail": "render not found"}, status_code=404)
        job.status = "cancelled"
        return ok({"id": job.id, "status": "cancelled"})

    async def claim(request: Request) -> Response:
        _, error = guard(request, "claim")
        if error:
            return error
        return ok({"claim_token": f"clm_{secrets.token_hex(8)}", "expires_in": 604800})

    async def download(request: Request) -> Response:
        log(request)
        if state.download_redirect_to:
            return Response(status_code=302, headers={"location": state.download_redirect_to})
        if state.download_redirect and not request.url.path.startswith("/cdn/"):
            cdn = f"http://localhost:{request.url.port}/cdn/{request.path_params['name']}"
            return Response(status_code=302, headers={"location": cdn})
        fault = state.take_fault("download")
        data = b"" if state.download_empty else _real_mp4()
        headers = {"content-length": str(len(data))}
        if fault is not None and fault.drop:

            async def cut() -> AsyncIterator[bytes]:
                yield data[: len(data) // 2]
                raise Dropped

            return StreamingResponse(cut(), media_type="video/mp4", headers=headers)
        return Response(data, media_type="video/mp4", headers=headers)

    async def root(request: Request) -> Response:
        log(request)
        return JSONResponse({"service": "nemovideo emulator"})

    app = Starlette(
        routes=[
            Route("/", root),
            Route("/api/auth/anonymous-token", anonymous_token, methods=["POST"]),
            Route("/api/tasks/me/with-session/nemo_agent", create_session, methods=["POST"]),
            Route("/run_sse", run_sse, methods=["POST"]),
            Route("/api/upload-video/nemo_agent/me/{sid}", upload, methods=["POST"]),
            Route("/api/credits/balance/simple", credits),
            Route("/api/state/nemo_agent/me/{sid}/latest", read_state),
            Route("/api/render/proxy/lambda", submit_render, methods=["POST"]),
            Route("/api/render/proxy/lambda/{rid}", poll_render),
            Route("/api/render/proxy/lambda/{rid}/cancel", cancel_render, methods=["POST"]),
            Route("/api/auth/claim-token", claim, methods=["POST"]),
            Route("/files/{name}", download),
            Route("/cdn/{name}", download),
        ]
    )

    async def hanging(scope: Any, receive: Any, send: Any) -> None:
        """Sleep before answering requests whose path holds a key of `state.hang`."""
        path = scope.get("path", "") if scope["type"] == "http" else ""
        delay = next((s for part, s in state.hang.items() if part in path), 0.0)
        if delay:
            await asyncio.sleep(delay)
        await app(scope, receive, send)

    return hanging
