"""axe-core checks for browser tests: WCAG 2.0/2.1/2.2 at levels A and AA, nothing stricter."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def axe_violations(page: Any) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations (empty when clean)."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    return _axe.run(page, options=options).response["violations"]


def format_violations(violations: list[dict]) -> str:
    """One block per violation: id, impact, help, and every offending node's target and HTML."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact'}): "
            f"{violation['help']} [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            html = " ".join((node.get("html") or "").split())[:300]
            lines.append(f"    at {target}: {html}")
            summary = (node.get("failureSummary") or "").strip()
            if summary:
                lines.extend(f"      {line.strip()}" for line in summary.splitlines())
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Fail the test, listing each violation, if axe-core finds any WCAG 2.2 A/AA problem."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 A/AA violation(s) on {page.url}:\n"
        + format_violations(violations)
    )
