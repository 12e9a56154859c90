"""Resource policies: is it public, which other accounts get in, and which conditions restrict it.

An ``Allow`` whose principal is everyone (``*``, ``{"AWS": "*"}``, an ARN with a wildcard account, or
any ``NotPrincipal``) is *public* unless a condition pins the caller (:func:`restrictions`) or a
``Deny`` to everyone — unconditioned, or with negated pins only — covers its actions. Principals of
other accounts make it *cross-account*; an account condition on an everyone-principal does too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from soryoku.posture.policy.statements import (
    ACCOUNT_ID,
    PolicyDocument,
    Restriction,
    Statement,
    arn_account,
    has_condition,
    restrictions,
    statements,
)

# -- resource policies --


@dataclass(frozen=True, slots=True)
class Grant:
    """What one ``Allow`` statement of a resource policy opens, and to whom."""

    statement: Statement
    everyone: bool
    accounts: tuple[str, ...]
    services: tuple[str, ...]
    federated: tuple[str, ...]
    restrictions: tuple[Restriction, ...]

    @property
    def public(self) -> bool:
        """True when anyone can use the grant: an everyone-principal no condition or deny pins."""
        return self.everyone and not self.restrictions


@dataclass(frozen=True, slots=True)
class ResourcePolicyAccess:
    """The verdict of :func:`analyze_resource_policy`: public, cross-account, and the restrictions seen."""

    owner_account: str
    grants: tuple[Grant, ...]

    @property
    def public(self) -> bool:
        """True when some statement lets anyone in."""
        return any(g.public for g in self.grants)

    @property
    def public_statements(self) -> tuple[str, ...]:
        """Sids (or ``Statement[i]``) of the public statements."""
        return tuple(g.statement.label for g in self.grants if g.public)

    @property
    def cross_accounts(self) -> tuple[str, ...]:
        """Other accounts granted access (by principal, or by an account condition), sorted."""
        return tuple(sorted({a for g in self.grants for a in g.accounts if a != self.owner_account}))

    @property
    def cross_account(self) -> bool:
        """True when another account, or an organisation, is granted access (public aside)."""
        return bool(self.cross_accounts) or bool(self.organizations)

    @property
    def organizations(self) -> tuple[str, ...]:
        """Organisation ids/paths that everyone-statements are limited to."""
        return tuple(
            sorted(
                {v for g in self.grants for r in g.restrictions if r.kind == "organization" for v in r.values}
            )
        )

    @property
    def restrictions(self) -> tuple[Restriction, ...]:
        """Every restriction that kept an everyone-statement from being public (deduplicated)."""
        seen: dict[Restriction, None] = {}
        for grant in self.grants:
            if grant.everyone:
                seen.update(dict.fromkeys(grant.restrictions))
        return tuple(seen)

    @property
    def unrestricted_services(self) -> tuple[str, ...]:
        """Service principals granted access with no aws:SourceArn/SourceAccount (confused deputy)."""
        return tuple(sorted({s for g in self.grants if not g.restrictions for s in g.services}))

    def public_actions(self, actions: Iterable[str]) -> list[str]:
        """Which of ``actions`` the public statements allow, sorted."""
        candidates = list(actions)
        return sorted(
            {a for g in self.grants if g.public for a in candidates if g.statement.allows_action(a)}
        )

    def describe(self) -> str:
        """One line: public / cross-account (accounts, organisations) / private, and what restricts it."""
        if self.public:
            return f"public through {', '.join(self.public_statements)}"
        parts = []
        if self.cross_accounts:
            parts.append(f"cross-account to {', '.join(self.cross_accounts)}")
        if self.organizations:
            parts.append(f"shared with organisation {', '.join(self.organizations)}")
        if self.restrictions:
            parts.append(f"restricted by {', '.join(r.describe() for r in self.restrictions)}")
        return "; ".join(parts) if parts else "private to its account"


def _deny_guards(items: Iterable[Statement]) -> list[tuple[Statement, tuple[Restriction, ...]]]:
    """Deny statements that fence off callers.

    A ``Deny`` to everyone, unconditioned or with negated pins only (``StringNotEquals
    aws:PrincipalOrgID``), and an unconditioned ``Deny`` with ``NotPrincipal`` (everyone but the
    named principals) both leave only known callers for the actions they cover.
    """
    guards: list[tuple[Statement, tuple[Restriction, ...]]] = []
    for statement in items:
        if statement.allow:
            continue
        if statement.not_principal:
            if not statement.conditions and statement.principals:
                named = tuple(p.value for p in statement.principals)
                guards.append((statement, (Restriction("principal", "NotPrincipal", named),)))
            continue
        if not statement.everyone:
            continue
        pins = restrictions(statement)
        if len(pins) == len(statement.conditions):
            guards.append((statement, pins or (Restriction("deny", statement.label, ()),)))
    return guards


def _covers(deny: Statement, allow: Statement) -> bool:
    if allow.not_action:
        return not deny.not_action and any(p == "*" for p in deny.actions)
    return all(deny.covers_pattern(pattern) for pattern in allow.actions)


def analyze_resource_policy(document: PolicyDocument, owner_account: str) -> ResourcePolicyAccess:
    """Who a resource policy lets in: per ``Allow`` statement, everyone / accounts / services, and why not.

    ``owner_account`` is the account the resource lives in (its principals are not cross-account).
    """
    items = statements(document)
    guards = _deny_guards(items)
    grants: list[Grant] = []
    for statement in items:
        if not statement.allow:
            continue
        pins = list(restrictions(statement))
        for deny, fence in guards:
            if _covers(deny, statement):
                pins.extend(fence)
        everyone = statement.everyone
        accounts = (
            {p.account for p in statement.principals if p.account} if not statement.not_principal else set()
        )
        if everyone:
            accounts |= {v for r in pins if r.kind == "account" for v in r.values if ACCOUNT_ID.match(v)}
            accounts |= {
                a
                for r in pins
                if r.kind == "source"
                for v in r.values
                if (a := arn_account(v) or "") and ACCOUNT_ID.match(a)
            }
        services = tuple(sorted(p.value for p in statement.principals if p.kind == "Service"))
        federated = tuple(sorted(p.value for p in statement.principals if p.kind == "Federated"))
        grants.append(
            Grant(
                statement=statement,
                everyone=everyone,
                accounts=tuple(sorted(a for a in accounts if a is not None)),
                services=services if not statement.not_principal else (),
                federated=federated if not statement.not_principal else (),
                restrictions=tuple(dict.fromkeys(pins)),
            )
        )
    return ResourcePolicyAccess(owner_account, tuple(grants))


def public_actions(document: PolicyDocument, actions: Iterable[str]) -> list[str]:
    """Which of ``actions`` a resource policy allows to anyone (the owner account does not matter)."""
    return analyze_resource_policy(document, "").public_actions(actions)


# -- trust policies (role resource policies for sts:AssumeRole*) --


@dataclass(frozen=True, slots=True)
class TrustedAccount:
    """Another account a role trusts, and whether the trust requires an sts:ExternalId."""

    account: str
    statement: str
    external_id: bool
    restrictions: tuple[Restriction, ...]


def external_trusts(document: PolicyDocument, owner_account: str) -> tuple[TrustedAccount, ...]:
    """Each other account an assume-role trust policy lets in, with its ExternalId/condition facts."""
    found: list[TrustedAccount] = []
    for grant in analyze_resource_policy(document, owner_account).grants:
        if not grant.statement.allows_action("sts:AssumeRole"):
            continue
        external_id = has_condition(grant.statement, "sts:ExternalId")
        for account in grant.accounts:
            if account != owner_account:
                found.append(TrustedAccount(account, grant.statement.label, external_id, grant.restrictions))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class WebIdentityTrust:
    """An OIDC provider a role trusts (sts:AssumeRoleWithWebIdentity) and whether it pins the subject."""

    provider: str
    statement: str
    subject_pinned: bool


_GITHUB = "token.actions.githubusercontent.com"
_GITHUB_SUBJECT = re.compile(r"^repo:[^*?/]+/")


def _provider_of(value: str) -> str:
    return value.split("oidc-provider/", 1)[1] if "oidc-provider/" in value else value


def _subject_pinned(statement: Statement, provider: str) -> bool:
    key = (
        "cognito-identity.amazonaws.com:aud"
        if provider == "cognito-identity.amazonaws.com"
        else f"{provider}:sub"
    )
    for condition in statement.condition(key):
        if condition.holds_when_absent or condition.base_operator not in {"stringequals", "stringlike"}:
            continue
        values = condition.values
        if provider == _GITHUB and values and all(_GITHUB_SUBJECT.match(v) for v in values):
            return True
        if (
            provider != _GITHUB
            and values
            and all(v.replace("*", "").replace("?", "") and v[0] not in "*?" for v in values)
        ):
            return True
    return False


def web_identity_trusts(document: PolicyDocument) -> tuple[WebIdentityTrust, ...]:
    """Each OIDC provider a trust policy admits, and whether a condition pins who (``<provider>:sub``).

    Without a subject pin any identity of the provider may assume the role — for GitHub Actions,
    any workflow of any repository; a GitHub pin must name the repository owner (``repo:org/…``).
    """
    found: list[WebIdentityTrust] = []
    for statement in statements(document):
        if not statement.allow or statement.not_principal:
            continue
        if not statement.allows_action("sts:AssumeRoleWithWebIdentity"):
            continue
        for principal in statement.principals:
            if principal.kind != "Federated" or ":saml-provider/" in principal.value:
                continue
            provider = _provider_of(principal.value)
            found.append(WebIdentityTrust(provider, statement.label, _subject_pinned(statement, provider)))
    return tuple(found)


__all__ = [
    "Grant",
    "ResourcePolicyAccess",
    "TrustedAccount",
    "WebIdentityTrust",
    "analyze_resource_policy",
    "external_trusts",
    "public_actions",
    "web_identity_trusts",
]
