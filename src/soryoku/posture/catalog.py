"""The check catalogue as Markdown, generated from the registry and the compliance data.

``docs/posture.md`` embeds its output between markers; a test keeps the two in sync, so the docs
never drift from the code (regenerate with ``SORYOKU_REGEN_DOCS=1 pytest tests/posture/test_docs.py``).
"""

from __future__ import annotations

from soryoku.posture.compliance.frameworks import frameworks, mappings_for
from soryoku.posture.registry import CHECKS

BEGIN = "<!-- BEGIN GENERATED CHECKS (soryoku.posture.catalog) -->"
END = "<!-- END GENERATED CHECKS -->"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def checks_markdown() -> str:
    """A summary table, then one section per check (rationale, remediation, frameworks, permissions)."""
    lines = [
        "| check | severity | service | FSBP / CIS v3.0.0 |",
        "| --- | --- | --- | --- |",
    ]
    for item in CHECKS:
        labels = ", ".join(f.requirement(c) for f, c in mappings_for(item.id)) or "—"
        lines.append(f"| [`{item.id}`](#{item.id}) | {item.severity.label} | {item.service} | {labels} |")
    lines.append("")
    lines.append("### Coverage by framework")
    lines.append("")
    for framework in frameworks():
        lines.append(
            f"- **{framework.name} {framework.version}** (`{framework.standard}`): "
            f"{len(framework.controls)} controls mapped — " + ", ".join(c.id for c in framework.controls)
        )
    for item in CHECKS:
        prose = item.prose
        lines += [
            "",
            f"### {item.id}",
            "",
            f"**{_cell(prose.title)}** — {item.severity.label}, `{item.resource_type}`",
            "",
        ]
        lines += [f"*Rationale.* {_cell(prose.risk)}", "", f"*Remediation.* {_cell(prose.remediation)}", ""]
        if prose.remediation_cli:
            lines += ["```sh", prose.remediation_cli.rstrip(), "```", ""]
        mapped = [f"`{f.requirement(c)}` {_cell(c.title)}" for f, c in mappings_for(item.id)]
        lines.append("*Frameworks.* " + ("; ".join(mapped) if mapped else "none"))
        lines.append("")
        lines.append("*Permissions.* " + ", ".join(f"`{a}`" for a in item.permissions))
        lines.append("")
        lines.append("*References.* " + ", ".join(f"<{r}>" for r in prose.references))
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["BEGIN", "END", "checks_markdown"]
