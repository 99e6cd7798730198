"""A fake GOV.UK Notify API on 127.0.0.1 for tests and the benchmark.

It checks each request's JWT as Notify does (HS256, signed with the API key's secret, `iss` the
service id, `iat` within 30 seconds), records what it accepted, answers GET by reference (used
to recover an interrupted send), and can be told to answer the next requests with given
statuses (429, 400, 500...), to be slow, to take a message and then fail (a 5xx after
accepting), or to hold its replies after accepting until released (a reply slower than the
client's timeout), so tests wait on conditions rather than on the clock.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"waitroom_test-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL_TEMPLATE = "a7ba8c1f-7d16-4a0f-8a33-6bdf1ea2b1a1"


class FakeNotify:
    def __init__(self, *, keep_alive: bool = False) -> None:
        # HTTP/1.1 keeps a client's connection open between requests, as Notify does.
        self.keep_alive = keep_alive
        self.connections = 0  # TCP connections accepted
        self.lock = threading.Lock()
        self.accepted: list[dict] = []  # each: {"id", "type", "json"}
        self.attempts: list[dict] = []  # every POST, whatever the answer
        self.auth_failures = 0
        self.scripted: deque[int] = deque()
        self.after_accepting: deque[int] = deque()
        self.delay = 0.0
        # When set, each accepted POST waits for this event (at most 30 s) before replying.
        self.reply_gate: threading.Event | None = None
        # Fault windows for the benchmark: (until, status) answers every POST with status;
        # (until, seconds) takes each message and replies that much later.
        self.failing_until: tuple[float, int] | None = None
        self.slow_until: tuple[float, float] | None = None
        self.port = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeNotify:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def refuse_connections(self) -> None:
        """Close the listening socket: connections are refused until `accept_connections`."""
        self.port = self.server.server_address[1]
        self.stop()

    def accept_connections(self) -> None:
        """Listen again on the same port."""
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fail_for(self, seconds: float, status: int) -> None:
        """Answer every POST with `status` (429, 500...) for the next `seconds`."""
        self.failing_until = (time.monotonic() + seconds, status)

    def slow_for(self, seconds: float, reply_after: float) -> None:
        """For the next `seconds`, take each message and reply `reply_after` seconds later."""
        self.slow_until = (time.monotonic() + seconds, reply_after)

    def answer_next(self, *statuses: int) -> None:
        with self.lock:
            self.scripted.extend(statuses)

    def fail_next_after_accepting(self, *statuses: int) -> None:
        """Take the next messages, then answer them with these statuses (500, 503...)."""
        with self.lock:
            self.after_accepting.extend(statuses)

    def hold_replies(self) -> threading.Event:
        """Hold every reply after accepting until the returned event is set."""
        self.reply_gate = threading.Event()
        return self.reply_gate

    def acceptance_span(self, references: set[str]) -> tuple[float, float] | None:
        """(first, last) time.monotonic() at which one of these messages was accepted, or None."""
        with self.lock:
            times = [
                item["at"] for item in self.accepted if item["json"].get("reference") in references
            ]
        return (min(times), max(times)) if times else None

    def references(self) -> list[str]:
        with self.lock:
            return [item["json"].get("reference") for item in self.accepted]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if fake.keep_alive else "HTTP/1.0"
            # Headers and body go out in separate writes: with Nagle's algorithm on, a kept-alive
            # connection waits for the client's delayed ACK (~40 ms) before each body.
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                with fake.lock:
                    fake.connections += 1

            def log_message(self, *args) -> None:  # quiet
                pass

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Bearer "):
                    return False
                try:
                    claims = jwt.decode(
                        header[7:],
                        key=SECRET,
                        algorithms=["HS256"],
                        options={"require": ["iss", "iat"]},
                    )
                except jwt.PyJWTError:
                    return False
                return claims["iss"] == SERVICE_ID and abs(time.time() - claims["iat"]) <= 30

            def _error(self, status: int, error: str, message: str) -> None:
                self._reply(
                    status,
                    {"status_code": status, "errors": [{"error": error, "message": message}]},
                )

            def do_GET(self) -> None:
                if not self._authorised():
                    with fake.lock:
                        fake.auth_failures += 1
                    return self._error(403, "AuthError", "Invalid token")
                parsed = urlparse(self.path)
                reference = parse_qs(parsed.query).get("reference", [None])[0]
                with fake.lock:
                    found = [
                        {"id": item["id"], "reference": reference, "status": "sending"}
                        for item in fake.accepted
                        if item["json"].get("reference") == reference
                    ]
                self._reply(200, {"notifications": found, "links": {}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self._authorised():
                    with fake.lock:
                        fake.auth_failures += 1
                    return self._error(403, "AuthError", "Invalid token")
                kind = "sms" if self.path.endswith("/sms") else "email"
                with fake.lock:
                    fake.attempts.append({"type": kind, "json": body})
                    forced = fake.scripted.popleft() if fake.scripted else None
                    window = fake.failing_until
                    if forced is None and window and time.monotonic() < window[0]:
                        forced = window[1]
                if fake.delay:
                    time.sleep(fake.delay)
                if forced == 429:
                    return self._error(429, "RateLimitError", "Exceeded rate limit")
                if forced and forced >= 500:
                    return self._error(forced, "Exception", "Internal server error")
                if forced == 400:
                    return self._error(
                        400, "ValidationError", "phone_number Not a UK mobile number"
                    )
                notification_id = str(uuid.uuid4())
                with fake.lock:
                    fake.accepted.append(
                        {"id": notification_id, "type": kind, "json": body, "at": time.monotonic()}
                    )
                    failure = fake.after_accepting.popleft() if fake.after_accepting else None
                gate = fake.reply_gate
                if gate is not None:
                    gate.wait(timeout=30)
                slow = fake.slow_until
                if slow and time.monotonic() < slow[0]:
                    time.sleep(slow[1])  # the fault itself: a reply slower than the timeout
                if failure:
                    return self._error(failure, "Exception", "Internal server error")
                self._reply(
                    201,
                    {
                        "id": notification_id,
                        "reference": body.get("reference"),
                        "content": {"body": body.get("personalisation", {}).get("body", "")},
                        "uri": f"{fake.url}/v2/notifications/{notification_id}",
                        "template": {"id": body.get("template_id"), "version": 1, "uri": ""},
                    },
                )

        return Handler


if __name__ == "__main__":  # a standalone server for trying things by hand
    server = FakeNotify().start()
    print(server.url, API_KEY)
    server.thread.join()
