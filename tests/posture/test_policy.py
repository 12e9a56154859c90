"""The shared policy analyzer: normalisation, public / cross-account / restricted, identity policies."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from soryoku.posture.policy import (
    ESCALATION_PATHS,
    Restriction,
    allowed_actions,
    allowed_on_all_resources,
    analyze_resource_policy,
    escalation_paths,
    external_trusts,
    full_admin_statements,
    grants_full_admin,
    kms_decrypt_on_all_keys,
    load_document,
    matches,
    public_actions,
    restrictions,
    service_wildcards,
    statements,
    web_identity_trusts,
)

OWNER = "123456789012"
OTHER = "111122223333"


def doc(*items: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(items)}


def allow(principal: Any = "*", action: Any = "s3:GetObject", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "*", **extra}


# -- normalisation --


def test_statement_forms_are_normalised() -> None:
    (one, two) = statements(
        doc(
            {
                "Sid": "A",
                "Effect": "Allow",
                "Principal": {"AWS": [OTHER, "*"]},
                "Action": "s3:Get*",
                "Resource": ["arn:aws:s3:::b/*"],
            },
            {
                "Effect": "Deny",
                "NotPrincipal": {"Service": "logs.amazonaws.com"},
                "NotAction": ["s3:*"],
                "NotResource": "arn:aws:s3:::b",
                "Condition": {"StringEquals": {"AWS:SourceAccount": OWNER}},
            },
        )
    )
    assert one.label == "A" and one.allow and one.actions == ("s3:Get*",) and not one.not_action
    assert [p.value for p in one.principals] == [OTHER, "*"] and one.everyone
    assert two.label == "Statement[1]" and not two.allow
    assert two.not_principal and two.not_action and two.not_resource and two.on_all_resources
    assert two.principals[0].kind == "Service" and two.everyone
    assert two.conditions[0].key == "aws:sourceaccount" and two.conditions[0].values == (OWNER,)


def test_a_single_statement_object_and_non_mapping_entries() -> None:
    assert len(statements({"Statement": allow()})) == 1
    assert statements({"Statement": ["junk", allow()]})[0].index == 1
    assert statements(None) == () and statements("") == ()


def test_documents_load_from_json_and_url_encoded_json() -> None:
    policy = doc(allow())
    assert load_document(json.dumps(policy)) == policy
    assert load_document(quote(json.dumps(policy))) == policy
    assert load_document(json.dumps(policy).encode()) == policy
    with pytest.raises(ValueError, match="JSON object"):
        load_document("[1, 2]")


@pytest.mark.parametrize(
    ("pattern", "action", "hit"),
    [
        ("s3:*", "s3:GetObject", True),
        ("S3:get*", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get", "s3:GetObject", False),
        ("*", "kms:Decrypt", True),
        ("kms:Re*From", "kms:ReEncryptFrom", True),
        ("s3:[ab]", "s3:a", False),  # brackets are literal in IAM
    ],
)
def test_wildcard_matching(pattern: str, action: str, hit: bool) -> None:
    assert matches(pattern, action) is hit


def test_not_action_and_pattern_coverage() -> None:
    (statement,) = statements(doc(allow(action=None) | {"NotAction": "iam:*"}))
    assert statement.allows_action("s3:GetObject") and not statement.allows_action("iam:PassRole")
    (wide,) = statements(doc(allow(action="s3:*")))
    assert wide.covers_pattern("s3:Get*") and not wide.covers_pattern("sqs:*")


# -- restricting conditions --


@pytest.mark.parametrize(
    ("condition", "kinds"),
    [
        ({"StringEquals": {"aws:SourceAccount": OWNER}}, ["account"]),
        ({"StringEquals": {"aws:SourceOwner": OWNER}}, ["account"]),
        ({"StringEquals": {"aws:PrincipalAccount": [OWNER, OTHER]}}, ["account"]),
        ({"StringEquals": {"kms:CallerAccount": OWNER}}, ["account"]),
        ({"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, ["organization"]),
        ({"ArnLike": {"aws:SourceArn": f"arn:aws:sns:*:{OWNER}:topic"}}, ["source"]),
        ({"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::logs-bucket"}}, ["source"]),
        ({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, ["network"]),
        ({"StringEquals": {"aws:SourceVpc": "vpc-1"}}, ["network"]),
        ({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}, ["network"]),
        ({"ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": "o-abc/r-1/ou-1/"}}, ["organization"]),
        # pins nothing:
        ({"StringLike": {"aws:SourceAccount": "*"}}, []),
        ({"StringLike": {"aws:PrincipalOrgID": "o-*"}}, []),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:*"}}, []),
        ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}, []),
        ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, []),
        ({"IpAddress": {"aws:SourceIp": "::/0"}}, []),
        ({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/0"]}}, []),
        ({"StringEqualsIfExists": {"aws:SourceAccount": OWNER}}, []),
        ({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}, []),
        ({"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}, []),
        ({"Bool": {"aws:SecureTransport": "true"}}, []),
        ({"StringEquals": {"aws:SourceAccount": "not-an-account"}}, []),
        ({"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}}, []),
    ],
)
def test_which_allow_conditions_restrict(condition: dict[str, Any], kinds: list[str]) -> None:
    (statement,) = statements(doc(allow(Condition=condition)))
    assert [r.kind for r in restrictions(statement)] == kinds


def test_deny_statements_are_restricted_by_negated_conditions() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}
    (negated,) = statements(doc(deny | {"Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}}))
    assert restrictions(negated) == (Restriction("organization", "aws:PrincipalOrgID", ("o-1",)),)
    (positive,) = statements(doc(deny | {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}))
    assert restrictions(positive) == ()


# -- resource policies --


@pytest.mark.parametrize(
    ("policy", "public"),
    [
        (doc(allow("*")), True),
        (doc(allow({"AWS": "*"})), True),
        (doc(allow({"AWS": ["arn:aws:iam::*:root"]})), True),
        (doc({"Effect": "Allow", "NotPrincipal": {"AWS": OTHER}, "Action": "s3:*", "Resource": "*"}), True),
        (doc(allow("*", Condition={"Bool": {"aws:SecureTransport": "true"}})), True),
        (doc(allow("*", Condition={"StringLike": {"aws:SourceAccount": "*"}})), True),
        (doc(allow("*", Condition={"StringEquals": {"aws:SourceAccount": OWNER}})), False),
        (doc(allow("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})), False),
        (doc(allow("*", Condition={"IpAddress": {"aws:SourceIp": "198.51.100.7/32"}})), False),
        (doc(allow({"AWS": OTHER})), False),
        (doc(allow({"Service": "cloudtrail.amazonaws.com"})), False),
        (doc({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}), False),
        (None, False),
    ],
)
def test_public_resource_policies(policy: dict[str, Any] | None, public: bool) -> None:
    assert analyze_resource_policy(policy, OWNER).public is public


def test_a_deny_fence_restricts_public_allows_it_covers() -> None:
    fence = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}},
    }
    access = analyze_resource_policy(doc(allow("*", "s3:GetObject"), fence), OWNER)
    assert not access.public
    assert access.restrictions == (Restriction("network", "aws:SourceVpce", ("vpce-1",)),)
    assert "restricted by aws:SourceVpce=vpce-1" in access.describe()
    # the fence does not cover sqs actions, and a fence with a non-pinning condition fences nothing
    assert analyze_resource_policy(doc(allow("*", "sqs:SendMessage"), fence), OWNER).public
    leaky = fence | {"Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    assert analyze_resource_policy(doc(allow("*", "s3:GetObject"), leaky), OWNER).public
    blanket = {"Effect": "Deny", "Principal": "*", "Action": "s3:Get*", "Resource": "*"}
    assert not analyze_resource_policy(doc(allow("*", "s3:GetObject"), blanket), OWNER).public


def test_a_deny_to_everyone_but_named_principals_fences_public_allows() -> None:
    only_reader = {
        "Effect": "Deny",
        "NotPrincipal": {"AWS": f"arn:aws:iam::{OWNER}:role/reader"},
        "Action": "s3:*",
        "Resource": "*",
    }
    access = analyze_resource_policy(doc(allow("*", "s3:GetObject"), only_reader), OWNER)
    assert not access.public
    assert access.restrictions == (
        Restriction("principal", "NotPrincipal", (f"arn:aws:iam::{OWNER}:role/reader",)),
    )
    conditioned = only_reader | {"Condition": {"Bool": {"aws:SecureTransport": "false"}}}
    assert analyze_resource_policy(doc(allow("*", "s3:GetObject"), conditioned), OWNER).public


def test_cross_account_by_principal_and_by_account_condition() -> None:
    access = analyze_resource_policy(
        doc(
            allow({"AWS": [f"arn:aws:iam::{OTHER}:role/reader", f"arn:aws:iam::{OWNER}:root"]}),
            allow("*", Condition={"StringEquals": {"aws:PrincipalAccount": "444455556666"}}),
        ),
        OWNER,
    )
    assert not access.public and access.cross_account
    assert access.cross_accounts == (OTHER, "444455556666")
    assert "cross-account to 111122223333, 444455556666" in access.describe()
    same = analyze_resource_policy(doc(allow({"AWS": OWNER})), OWNER)
    assert not same.cross_account and same.describe() == "private to its account"


def test_organisation_sharing_is_reported_without_being_public() -> None:
    access = analyze_resource_policy(
        doc(allow("*", Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})), OWNER
    )
    assert access.organizations == ("o-abc",) and access.cross_account and not access.cross_accounts
    assert "organisation o-abc" in access.describe()


def test_service_principals_and_the_confused_deputy() -> None:
    loose = analyze_resource_policy(doc(allow({"Service": "sns.amazonaws.com"}, "sqs:SendMessage")), OWNER)
    assert loose.unrestricted_services == ("sns.amazonaws.com",) and not loose.public
    pinned = analyze_resource_policy(
        doc(
            allow(
                {"Service": "sns.amazonaws.com"},
                "sqs:SendMessage",
                Condition={"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{OWNER}:t"}},
            )
        ),
        OWNER,
    )
    assert pinned.unrestricted_services == () and pinned.cross_accounts == ()


def test_public_actions_lists_only_what_public_statements_allow() -> None:
    policy = doc(
        allow("*", ["s3:GetObject", "s3:ListBucket"]),
        allow("*", "s3:PutObject", Condition={"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
        allow({"AWS": OTHER}, "s3:DeleteObject"),
    )
    candidates = ("s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject")
    assert public_actions(policy, candidates) == ["s3:GetObject", "s3:ListBucket"]
    assert analyze_resource_policy(policy, OWNER).public_statements == ("Statement[0]",)


# -- trust policies --


def test_external_trusts_with_and_without_external_id() -> None:
    assume = "sts:AssumeRole"
    policy = doc(
        {
            "Sid": "Vendor",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
            "Action": assume,
            "Condition": {"StringEquals": {"sts:ExternalId": "k3y"}},
        },
        {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": assume},
        {
            "Sid": "Self",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
            "Action": assume,
        },
        {"Sid": "Ec2", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": assume},
    )
    trusts = {t.account: t for t in external_trusts(policy, OWNER)}
    assert set(trusts) == {OTHER, "444455556666"}
    assert trusts[OTHER].external_id and trusts[OTHER].statement == "Vendor"
    assert not trusts["444455556666"].external_id


def test_a_wildcard_external_id_is_no_external_id() -> None:
    policy = doc(
        allow({"AWS": OTHER}, "sts:AssumeRole", Condition={"StringLike": {"sts:ExternalId": "*"}}),
    )
    (trust,) = external_trusts(policy, OWNER)
    assert not trust.external_id


def test_web_identity_trusts_need_a_subject_pin() -> None:
    github = "token.actions.githubusercontent.com"

    def trust(
        condition: dict[str, Any], federated: str = f"arn:aws:iam::{OWNER}:oidc-provider/{github}"
    ) -> Any:
        return doc(
            {
                "Effect": "Allow",
                "Principal": {"Federated": federated},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": condition,
            }
        )

    def pinned(policy: Any) -> list[bool]:
        return [t.subject_pinned for t in web_identity_trusts(policy)]

    assert pinned(trust({"StringLike": {f"{github}:sub": "repo:acme/*"}})) == [True]
    assert pinned(trust({"StringEquals": {f"{github}:sub": ["repo:acme/app:ref:refs/heads/main"]}})) == [True]
    assert pinned(trust({"StringLike": {f"{github}:sub": "repo:*"}})) == [False]
    assert pinned(trust({"StringLike": {f"{github}:sub": "*"}})) == [False]
    assert pinned(trust({"StringEquals": {f"{github}:aud": "sts.amazonaws.com"}})) == [False]
    assert pinned(trust({"StringLikeIfExists": {f"{github}:sub": "repo:acme/*"}})) == [False]
    eks = "oidc.eks.us-east-1.amazonaws.com/id/ABC"
    assert pinned(trust({"StringEquals": {f"{eks}:sub": "system:serviceaccount:ns:sa"}}, eks)) == [True]
    cognito = "cognito-identity.amazonaws.com"
    assert pinned(trust({"StringEquals": {f"{cognito}:aud": "us-east-1:pool"}}, cognito)) == [True]
    assert web_identity_trusts(doc(allow({"Service": "ec2.amazonaws.com"}, "sts:AssumeRole"))) == ()
    (trusted,) = web_identity_trusts(trust({}))
    assert trusted.provider == github and not trusted.subject_pinned


# -- identity policies --

ADMIN = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})


@pytest.mark.parametrize(
    ("policy", "admin"),
    [
        (ADMIN, True),
        (doc({"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}), True),
        (doc({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}), False),
        (doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}), False),
        (doc({"Effect": "Deny", "Action": "*", "Resource": "*"}), False),
        (doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), False),
    ],
)
def test_full_admin(policy: dict[str, Any], admin: bool) -> None:
    assert grants_full_admin(policy) is admin


def test_full_admin_statements_name_the_statements() -> None:
    policy = doc({"Sid": "Ops", "Effect": "Allow", "Action": "*", "Resource": "*"}, ADMIN["Statement"][0])
    assert full_admin_statements(policy) == ("Ops", "Statement[1]")


def test_service_wildcards() -> None:
    policy = doc(
        {"Effect": "Allow", "Action": ["s3:*", "S3:*", "ec2:Describe*", "*"], "Resource": "*"},
        {"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:1:q"},
        {"Effect": "Deny", "Action": "iam:*", "Resource": "*"},
    )
    assert service_wildcards(policy) == ("s3:*", "sqs:*")
    not_action = doc({"Effect": "Allow", "NotAction": ["iam:*", "ec2:Run*"], "Resource": "*"})
    assert service_wildcards(not_action) == ("NotAction iam:*",)
    assert service_wildcards(doc({"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"})) == ()


@pytest.mark.parametrize(
    ("statement", "granted"),
    [
        ({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}, ["kms:Decrypt"]),
        ({"Effect": "Allow", "Action": "kms:*", "Resource": "*"}, ["kms:Decrypt", "kms:ReEncryptFrom"]),
        ({"Effect": "Allow", "Action": "kms:ReEncrypt*", "Resource": "*"}, ["kms:ReEncryptFrom"]),
        ({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}, ["kms:Decrypt", "kms:ReEncryptFrom"]),
        (
            {"Effect": "Allow", "Action": "kms:Decrypt", "NotResource": "arn:aws:kms:*:*:key/x"},
            ["kms:Decrypt"],
        ),
        (
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": f"arn:aws:kms:us-east-1:{OWNER}:key/k"},
            [],
        ),
        ({"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}, []),
    ],
)
def test_kms_decrypt_on_all_keys(statement: dict[str, Any], granted: list[str]) -> None:
    assert kms_decrypt_on_all_keys(doc(statement)) == granted


def test_an_unconditioned_deny_removes_actions_a_conditioned_one_does_not() -> None:
    wide = {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}
    deny = {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}
    assert kms_decrypt_on_all_keys(doc(wide, deny)) == ["kms:ReEncryptFrom"]
    conditioned = deny | {"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
    assert kms_decrypt_on_all_keys(doc(wide, conditioned)) == ["kms:Decrypt", "kms:ReEncryptFrom"]


def test_allowed_actions_on_any_resource_versus_all_resources() -> None:
    policy = doc({"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::*:user/me"})
    assert allowed_actions(policy, ["iam:CreateAccessKey"]) == ["iam:CreateAccessKey"]
    assert allowed_on_all_resources(policy, ["iam:CreateAccessKey"]) == []


def test_escalation_paths() -> None:
    lambda_path = doc(
        {
            "Effect": "Allow",
            "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
            "Resource": "*",
        }
    )
    assert [p.name for p in escalation_paths(lambda_path)] == ["passrole-lambda-invoke"]
    half = doc({"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"})
    assert escalation_paths(half) == ()
    single = doc({"Effect": "Allow", "Action": "iam:Attach*Policy", "Resource": "*"})
    assert {p.name for p in escalation_paths(single)} == {
        "attach-user-policy",
        "attach-group-policy",
        "attach-role-policy",
    }
    self_service = doc(
        {
            "Effect": "Allow",
            "Action": "iam:CreateAccessKey",
            "Resource": "arn:aws:iam::*:user/${aws:username}",
        }
    )
    assert escalation_paths(self_service) == ()
    assert len(escalation_paths(ADMIN)) == len(ESCALATION_PATHS)
    read_only = doc({"Effect": "Allow", "Action": ["s3:Get*", "iam:Get*", "iam:List*"], "Resource": "*"})
    assert escalation_paths(read_only) == ()


def test_escalation_table_is_well_formed() -> None:
    names = [p.name for p in ESCALATION_PATHS]
    assert len(names) == len(set(names)) >= 20
    for path in ESCALATION_PATHS:
        assert path.actions and all(":" in a for a in path.actions) and path.how
