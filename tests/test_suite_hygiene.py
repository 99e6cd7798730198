"""The suite and the benchmarks keep to the rules that let eight people run them side by side on
one Redis, and that keep them from passing or failing by luck of timing:

- every Redis database comes from the configured REDIS_URL (settings), never a hard-coded URL,
  database number (`db=8`, a swapped `/13`) or port;
- nothing flushes the whole Redis (FLUSHALL), and FLUSHDB only where the file owns the
  configured database as its broker;
- nothing sleeps a fixed time and hopes: tests wait for a condition (tests/waiting.py), and the
  only sleeps are that helper's polling interval and the fake provider's simulated slowness.

The source is read as Python (ast), so comments and docstrings may talk about all of these.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("tests", "benchmarks")

# Sleeps allowed, each with its reason, by file and call (as ast.unparse writes it).
ALLOWED_SLEEPS = {
    ("tests/waiting.py", "time.sleep(every)"): "wait_until's polling interval",
    ("tests/invitations/fake_notify.py", "time.sleep(fake.delay)"): (
        "the fake provider answering slowly on purpose; tests then wait on a condition"
    ),
    ("tests/invitations/fake_notify.py", "time.sleep(slow[1])"): (
        "the fault under test: a reply slower than the client's timeout"
    ),
}
# Redis URLs allowed, each with its reason, by file and value.
ALLOWED_REDIS_URLS = {
    ("tests/waitroom/test_settings.py", "redis://127.0.0.1:6379/0"): (
        "a production-shaped value the settings check validates; nothing connects to it"
    ),
}
# Port 1 on loopback refuses at once: a Redis that is down, not a database anyone uses.
DOWN_REDIS = re.compile(r"^rediss?://127\.0\.0\.1:1/\d+$")
# Files that own the configured Redis database as their broker and empty it around each run.
ALLOWED_FLUSHDB = {
    "tests/invitations/test_worker.py": "its broker fixture empties the configured database",
    "tests/invitations/test_broker_loss.py": "its broker fixture, and the broker loss under test",
    "benchmarks/sending.py": "its own run's database, and the 'broker flushed' fault",
    "benchmarks/invitations_end_to_end.py": "its own run's database before it starts",
    "benchmarks/pages.py": "its own run's cache database before it measures (docstring says so)",
}

REDIS_URL = re.compile(r"rediss?://", re.IGNORECASE)
DB_NUMBER_PATH = re.compile(r"^/\d+$")  # what re.sub(r"/\d+$", "/13", url) swaps in
SLEEPS = {"sleep", "wait_for_timeout"}
FLUSH_EVERYTHING = "flushall"
REDIS_PORT = 6379


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.code}"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def findings_in(source: str, path: str) -> list[Finding]:
    """Every breach of the rules above in one file's source (allowlists applied)."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found: list[Finding] = []

    def add(node: ast.AST, rule: str) -> None:
        found.append(Finding(path, node.lineno, rule, ast.unparse(node)))

    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value
            if isinstance(value, str):
                if (
                    REDIS_URL.search(value)
                    and not DOWN_REDIS.match(value)
                    and (path, value) not in ALLOWED_REDIS_URLS
                ):
                    add(node, "hard-coded Redis URL (use settings.REDIS_URL)")
                if DB_NUMBER_PATH.match(value):
                    add(node, "hard-coded database number (use settings.REDIS_URL as it is)")
            elif value == REDIS_PORT and not isinstance(value, bool):
                add(node, "hard-coded Redis port (use settings.REDIS_URL)")
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        for keyword in node.keywords:
            if keyword.arg == "db" and isinstance(keyword.value, ast.Constant):
                add(node, "hard-coded Redis database number (use settings.REDIS_URL)")
        said = [
            c.value
            for arg in node.args
            for c in ast.walk(arg)
            if isinstance(c, ast.Constant) and isinstance(c.value, str)
        ]
        if name.lower() == FLUSH_EVERYTHING or any(
            s.strip().lower() == FLUSH_EVERYTHING for s in said
        ):
            add(node, "FLUSHALL empties every database on the shared Redis")
        if name.lower() == "flushdb" and path not in ALLOWED_FLUSHDB:
            add(node, "FLUSHDB in a file that does not own the database (see ALLOWED_FLUSHDB)")
        if name in SLEEPS and (path, ast.unparse(node)) not in ALLOWED_SLEEPS:
            add(node, "fixed sleep (wait for a condition: tests.waiting.wait_until)")
    return found


def scanned_files() -> list[Path]:
    """Every Python file in tests/ and benchmarks/ but this one, whose bad examples are data
    (the parametrised tests below run the scan on them)."""
    this = Path(__file__).resolve()
    return sorted(
        p for folder in SCANNED for p in (ROOT / folder).rglob("*.py") if p.resolve() != this
    )


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_suite_and_benchmarks_hard_code_no_redis_flush_nothing_shared_and_never_sleep():
    found = [
        finding
        for path in scanned_files()
        for finding in findings_in(path.read_text(), _relative(path))
    ]
    assert not found, "\n".join(map(str, found))


def test_every_allowlisted_exception_still_exists():
    """An allowance outliving its code would hide the next breach in the same place."""
    sources = {_relative(p): p.read_text() for p in scanned_files()}
    calls = {
        (path, ast.unparse(node))
        for path, source in sources.items()
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
    }
    assert set(ALLOWED_SLEEPS) <= calls
    assert all(f'"{url}"' in sources.get(path, "") for path, url in ALLOWED_REDIS_URLS)
    assert all(".flushdb(" in sources.get(path, "") for path in ALLOWED_FLUSHDB)


@pytest.mark.parametrize(
    ("snippet", "rule"),
    [
        ('BROKER = "redis://127.0.0.1:6379/8"', "hard-coded Redis URL"),
        ('os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")', "hard-coded Redis URL"),
        ('f"redis://{host}:6379/{n}"', "hard-coded Redis URL"),
        ('broker = re.sub(r"/\\d+$", "/13", settings.REDIS_URL)', "database number"),
        ("client = redis.Redis(host=host, db=8)", "database number"),
        ("client = redis.Redis(port=6379)", "hard-coded Redis port"),
        ("redis.Redis.from_url(settings.REDIS_URL).flushall()", "FLUSHALL"),
        ('client.execute_command("FLUSHALL")', "FLUSHALL"),
        ('subprocess.run(["redis-cli", "flushall"])', "FLUSHALL"),
        ("redis.Redis.from_url(settings.REDIS_URL).flushdb()", "FLUSHDB"),
        ("time.sleep(0.5)", "fixed sleep"),
        ("from time import sleep\nsleep(2.2)", "fixed sleep"),
        ("await asyncio.sleep(1)", "fixed sleep"),
        ("page.wait_for_timeout(500)", "fixed sleep"),
    ],
)
def test_the_scan_catches(snippet, rule):
    source = f"async def probe():\n    {snippet.replace(chr(10), chr(10) + '    ')}\n"
    found = findings_in(source, "tests/some_test.py")
    assert [f for f in found if rule in f.rule], found


@pytest.mark.parametrize(
    "snippet",
    [
        "url = settings.REDIS_URL",
        "celery_on_broker(settings.REDIS_URL)",
        "assert wait_until(lambda: job.is_done, timeout=60)",
        '{"REDIS_URL": "redis://127.0.0.1:1/15"}  # port 1: Redis down',
        'settings.TRUSTED_PROXIES = ["10.0.0.0/8"]',
        "# time.sleep(1) in a comment, or FLUSHALL, or redis://x:6379/8",
        "started = time.monotonic()",
    ],
)
def test_the_scan_lets_through(snippet):
    assert findings_in(snippet + "\n", "tests/some_test.py") == []
