"""Known-bad-input and XSS rules: cheap, precise signatures applied to request inputs.

Each rule has an id, the inputs it looks at, a rationale and a remediation (shown in docs and in
findings). They are regular expressions compiled once; a request costs one search per input per
rule group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote


@dataclass(frozen=True, slots=True)
class Rule:
    """A signature rule: ``family:name`` matches ``pattern`` in the inputs of ``sources``.

    ``needles`` are substrings at least one of which every match contains (empty: always search).
    """

    family: str
    name: str
    title: str
    severity: str
    pattern: re.Pattern[str]
    sources: frozenset[str]
    rationale: str
    remediation: str
    needles: tuple[str, ...] = ()

    def matches(self, value: str) -> bool:
        """True when the rule fires on ``value``; the needles (any must occur) skip the regex cheaply."""
        if self.needles and not any(needle in value for needle in self.needles):
            return False
        return self.pattern.search(value) is not None


_ALL = frozenset({"path", "query", "form", "json", "json-key", "body", "header", "cookie", "url"})
_PARAMS = frozenset({"query", "form", "json", "json-key", "body", "cookie"})

RULES: tuple[Rule, ...] = (
    Rule(
        family="known_bad_inputs",
        name="log4shell",
        title="Log4Shell-style JNDI lookup",
        severity="critical",
        # ${jndi:…} and its obfuscations: ${${lower:j}ndi:…}, ${${::-j}${::-n}di:…}, nested lookups
        pattern=re.compile(
            r"\$\{(?:[^{}]|\{[^{}]*\})*?(?:jndi|\$\{(?:lower|upper|::-|env|sys|date)[^}]*\})", re.I
        ),
        sources=_ALL,
        rationale="A `${jndi:ldap://…}` lookup makes vulnerable Log4j 2 (CVE-2021-44228) load remote "
        "code; scanners spray it into every header and parameter, and no legitimate input contains it.",
        remediation="Keep the rule blocking; upgrade Log4j to 2.17.1+ on the Java services behind.",
        needles=("${",),
    ),
    Rule(
        family="known_bad_inputs",
        name="path_traversal",
        title="Path traversal in the URL",
        severity="high",
        pattern=re.compile(
            r"(?:^|[/\\])\.\.(?:[/\\]|$)|%2e%2e|\.\.%2f|\.\.%5c|%252e|/etc/(?:passwd|shadow)|"
            r"(?:^|[/\\])(?:proc/self/|win\.ini|boot\.ini)",
            re.I,
        ),
        sources=frozenset({"url"}),
        rationale="`../` segments (raw or percent-encoded) in the request path try to leave the web "
        "root; well-formed clients normalise them away, so they only come from attacks.",
        remediation="Serve files by id, not by path; keep this rule blocking. The RASP path rule also "
        "guards parameters that reach the file system.",
        needles=("..", "%", "etc/", "proc/", ".ini", ".INI"),
    ),
    Rule(
        family="known_bad_inputs",
        name="traversal_parameter",
        title="Path traversal to a system file in a parameter",
        severity="high",
        pattern=re.compile(
            r"(?:\.\.[/\\]){2,}|(?:^|[/\\])etc[/\\](?:passwd|shadow|hosts)\b|proc[/\\]self[/\\]environ|"
            r"windows[/\\]win\.ini|%00",
            re.I,
        ),
        sources=_PARAMS,
        rationale="Several `../` in a row, or the names of system files, in a parameter are "
        "traversal probes; a single `../` is left to the RASP path rule, which knows the base dir.",
        remediation="Exclude the parameter on the route if it legitimately carries relative paths.",
        needles=("..", "/", "\\", "%00"),
    ),
    Rule(
        family="known_bad_inputs",
        name="scanner_user_agent",
        title="Vulnerability scanner user agent",
        severity="medium",
        pattern=re.compile(
            r"sqlmap|nikto|nmap\b|masscan|nuclei|zgrab|acunetix|netsparker|wpscan|dirbuster|gobuster|"
            r"feroxbuster|ffuf|w3af|openvas|nessus|burpcollaborator|jaeles|whatweb|arachni|commix|wfuzz",
            re.I,
        ),
        sources=frozenset({"header:user-agent"}),
        rationale="Offensive scanners announce themselves in User-Agent by default; real users never do.",
        remediation="Allow-list your own scanning hosts by IP instead of disabling the rule.",
    ),
    Rule(
        family="known_bad_inputs",
        name="scanner_probe_path",
        title="Probe for secrets or admin files",
        severity="medium",
        pattern=re.compile(
            r"/\.(?:env|git/|git$|svn/|hg/|aws/credentials|ssh/|htpasswd|DS_Store)|/(?:wp-config\.php|"
            r"phpinfo\.php|server-status|actuator/(?:env|heapdump)|cgi-bin/.*\.(?:sh|cgi)|"
            r"vendor/phpunit/|\.well-known/\.\.)",
            re.I,
        ),
        sources=frozenset({"url"}),
        rationale="Requests for `.env`, `.git/`, credentials files and framework debug endpoints are "
        "what scanners try first; an application never serves them.",
        remediation="Route exclusions if your app really serves such a path.",
    ),
    Rule(
        family="xss",
        name="script_tag",
        title="Script or active HTML element in input",
        severity="high",
        pattern=re.compile(r"<\s*/?\s*(?:script|iframe|object|embed|svg|math|base|meta|link|style)\b", re.I),
        sources=_PARAMS | frozenset({"path", "header:referer"}),
        rationale="`<script>`, `<iframe>`, `<svg>` and similar elements in a parameter are the carrier "
        "of reflected and stored XSS; plain text input does not contain them.",
        remediation="Encode output by context (templates with autoescape); exclude rich-text fields "
        "by parameter and sanitise them with an HTML sanitizer.",
        needles=("<",),
    ),
    Rule(
        family="xss",
        name="event_handler",
        title="HTML event handler attribute in input",
        severity="high",
        pattern=re.compile(
            r"<[^>]*\bon(?:error|load|click|mouseover|focus|blur|animationstart|toggle|begin|pointer\w+)\s*=",
            re.I,
        ),
        sources=_PARAMS | frozenset({"path"}),
        rationale="An `on…=` attribute inside a tag runs script without a `<script>` element "
        "(`<img src=x onerror=…>`).",
        remediation="As for script_tag.",
        needles=("<",),
    ),
    Rule(
        family="xss",
        name="javascript_uri",
        title="javascript: or data:text/html URI in input",
        severity="high",
        pattern=re.compile(r"^\s*(?:javascript|vbscript)\s*:|data\s*:\s*text/html", re.I),
        sources=_PARAMS,
        rationale="A `javascript:` URL stored in a link or redirect parameter runs script on click.",
        remediation="Allow only http(s) URLs in link and redirect fields.",
        needles=(":",),
    ),
)


def url_forms(raw_path: str) -> tuple[str, ...]:
    """The request path as sent and percent-decoded once (both are checked; parameters are inputs)."""
    raw = raw_path
    decoded = unquote(raw)
    return (raw,) if decoded == raw else (raw, decoded)


__all__ = ["RULES", "Rule", "url_forms"]
