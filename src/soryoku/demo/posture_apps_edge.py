"""The demo story's application edge: Lambda, ECR, ECS, EKS, API Gateway, AppSync, Cognito and AWS WAF
twins.

The web site's API runs in two versions: the current one behind an AWS WAF web ACL with the AWS
managed baseline, a rate-based rule, Bot Control and logging, and a legacy one nobody put WAF in front
of; the "monitor-only" web ACL, tagged as needing Bot Control, still only counts. The mobile app's
GraphQL API and its Cognito user pool sit behind the same web ACL, while a hackathon GraphQL API
answers anyone holding its API key and a legacy user pool takes short passwords with no MFA. Next to
them: a Lambda exposed through a function URL anyone can call (and its IAM-authenticated twin in the
VPC), an ECR repository that never scans what is pushed, a privileged ECS task, and an EKS cluster
whose API endpoint is on the internet — each with a correctly configured twin.
"""

from __future__ import annotations

import io
import json
import os
import urllib.request
import zipfile
from typing import Any

import boto3

from soryoku.demo.scenario import PRIMARY_REGION, DemoEstate

OPEN_FUNCTION = "soryoku-demo-public-url"
IAM_FUNCTION = "soryoku-demo-iam-url"
UNSCANNED_REPO = "soryoku-demo-unscanned"
SCANNED_REPO = "soryoku-demo-scanned"
PRIVILEGED_TASK = "soryoku-demo-privileged"
HARDENED_TASK = "soryoku-demo-hardened"
PUBLIC_CLUSTER = "soryoku-demo-public-eks"
PRIVATE_CLUSTER = "soryoku-demo-private-eks"
EDGE_ACL = "soryoku-demo-edge"
MONITOR_ACL = "soryoku-demo-monitor-only"
PROTECTED_API = "soryoku-demo-orders"
LEGACY_API = "soryoku-demo-legacy-api"
HTTP_API = "soryoku-demo-shop-http"
CDN_ACL = "soryoku-demo-cdn"
ADMIN_RULES = "soryoku-demo-admin-paths"
GOOD_GRAPH = "soryoku-demo-mobile-graph"
OPEN_GRAPH = "soryoku-demo-hackathon-graph"
GOOD_POOL = "soryoku-demo-customers"
LEGACY_POOL = "soryoku-demo-legacy-users"
GUEST_IDENTITIES = "soryoku_demo_guests"  # identity pool names allow no hyphens
MEMBER_IDENTITIES = "soryoku_demo_members"
GOOD_CDN = "www.soryoku-demo.example"
LEGACY_CDN = "legacy.soryoku-demo.example"
MISSING_BUCKET = "soryoku-demo-old-assets"  # deleted long ago; anyone could re-create it
PRIVATE_LOGS = "soryoku-demo-cdn-logs"  # a log bucket name only (CloudFront.5 reads the config)

_BASELINE = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesBotControlRuleSet",
)
_GRAPH_CHECKS = (
    "appsync_graphql_api_waf_acl_attached",
    "appsync_graphql_api_field_logging_enabled",
    "appsync_graphql_api_no_api_key_auth",
)
_USER_POOL_CHECKS = (
    "cognito_user_pool_waf_acl_attached",
    "cognito_user_pool_threat_protection_enforced",
    "cognito_user_pool_custom_auth_threat_protection_enforced",
    "cognito_user_pool_password_policy_strong",
    "cognito_user_pool_mfa_enabled",
    "cognito_user_pool_deletion_protection",
)
_WAF_CHECKS = (
    "wafv2_web_acl_has_rules",
    "wafv2_web_acl_logging_enabled",
    "wafv2_web_acl_rule_metrics_enabled",
    "wafv2_web_acl_aws_managed_baseline",
    "wafv2_web_acl_rules_block_mode",
    "wafv2_web_acl_rate_based_rule",
    "wafv2_web_acl_bot_control",
)

EXPECTED_FAILS: set[tuple[str, str]] = {
    ("lambda_function_url_auth_required", OPEN_FUNCTION),
    ("lambda_function_not_publicly_accessible", OPEN_FUNCTION),
    ("lambda_function_in_vpc", OPEN_FUNCTION),
    ("ecr_repository_scan_on_push_enabled", UNSCANNED_REPO),
    ("ecr_repository_tag_immutability", UNSCANNED_REPO),
    ("ecr_repository_lifecycle_policy", UNSCANNED_REPO),
    ("ecs_task_definition_no_privileged_containers", PRIVILEGED_TASK),
    ("ecs_task_definition_readonly_root_filesystem", PRIVILEGED_TASK),
    ("eks_cluster_endpoint_not_public", PUBLIC_CLUSTER),
    ("eks_cluster_supported_version", PUBLIC_CLUSTER),  # moto's default version, long out of support
    ("eks_cluster_secrets_encrypted", PUBLIC_CLUSTER),
    ("eks_cluster_audit_logging_enabled", PUBLIC_CLUSTER),
    ("apigateway_stage_waf_acl_attached", f"{LEGACY_API}/prod"),
    ("apigateway_stage_execution_logging_enabled", f"{LEGACY_API}/prod"),
    ("apigateway_stage_xray_tracing_enabled", f"{LEGACY_API}/prod"),
    # moto 5.2.5 has no API Gateway client certificates, so neither stage can present one.
    ("apigateway_stage_client_certificate_enabled", f"{LEGACY_API}/prod"),
    ("apigateway_stage_client_certificate_enabled", f"{PROTECTED_API}/prod"),
    ("apigatewayv2_route_authorization_type", f"{HTTP_API} GET /items"),
    ("apigatewayv2_stage_access_logging_enabled", f"{HTTP_API}/dev"),
    # The monitor-only web ACL: the core rule set still in Count, nothing else configured.
    *((check, f"webacl/{MONITOR_ACL}/") for check in _WAF_CHECKS if check != "wafv2_web_acl_has_rules"),
    *(
        (check, LEGACY_CDN)
        for check in (
            "cloudfront_distribution_default_root_object",
            "cloudfront_distribution_https_only",
            "cloudfront_distribution_origin_failover",
            "cloudfront_distribution_logging_enabled",
            "cloudfront_distribution_waf_enabled",
            "cloudfront_distribution_custom_certificate",
            "cloudfront_distribution_origin_traffic_encrypted",
            "cloudfront_distribution_no_deprecated_origin_ssl",
            "cloudfront_distribution_s3_origin_exists",
            "cloudfront_distribution_s3_origin_access_control",
        )
    ),
    *((check, OPEN_GRAPH) for check in _GRAPH_CHECKS),
    *((check, LEGACY_POOL) for check in _USER_POOL_CHECKS),
    ("cognito_identity_pool_no_unauthenticated_identities", GUEST_IDENTITIES),
    # The network story's load balancers (seeded later by posture_network_compute) have no web ACL.
    ("wafv2_alb_web_acl_attached", "loadbalancer/app/web-alb/"),
    ("wafv2_alb_web_acl_attached", "loadbalancer/app/api-alb/"),
}

EXPECTED_PASSES: set[tuple[str, str]] = {
    ("lambda_function_url_auth_required", IAM_FUNCTION),
    ("lambda_function_not_publicly_accessible", IAM_FUNCTION),
    ("lambda_function_in_vpc", IAM_FUNCTION),
    ("lambda_function_vpc_multi_az", IAM_FUNCTION),
    ("lambda_function_supported_runtime", IAM_FUNCTION),
    ("ecr_repository_scan_on_push_enabled", SCANNED_REPO),
    ("ecr_repository_tag_immutability", SCANNED_REPO),
    ("ecr_repository_lifecycle_policy", SCANNED_REPO),
    ("ecr_repository_not_publicly_accessible", SCANNED_REPO),
    ("ecs_task_definition_no_privileged_containers", HARDENED_TASK),
    ("ecs_task_definition_readonly_root_filesystem", HARDENED_TASK),
    ("ecs_task_definition_no_secrets_in_environment", HARDENED_TASK),
    ("eks_cluster_endpoint_not_public", PRIVATE_CLUSTER),
    ("eks_cluster_supported_version", PRIVATE_CLUSTER),
    ("eks_cluster_secrets_encrypted", PRIVATE_CLUSTER),
    ("eks_cluster_audit_logging_enabled", PRIVATE_CLUSTER),
    ("apigateway_stage_waf_acl_attached", f"{PROTECTED_API}/prod"),
    ("apigateway_stage_execution_logging_enabled", f"{PROTECTED_API}/prod"),
    ("apigateway_stage_xray_tracing_enabled", f"{PROTECTED_API}/prod"),
    ("apigatewayv2_route_authorization_type", f"{HTTP_API} POST /orders"),
    ("apigatewayv2_stage_access_logging_enabled", f"{HTTP_API}/live"),
    *((check, f"webacl/{EDGE_ACL}/") for check in _WAF_CHECKS),
    *((check, f"webacl/{CDN_ACL}/") for check in _WAF_CHECKS),
    ("wafv2_rule_group_metrics_enabled", f"rulegroup/{ADMIN_RULES}/"),
    *((check, GOOD_GRAPH) for check in _GRAPH_CHECKS),
    *((check, GOOD_POOL) for check in _USER_POOL_CHECKS),
    ("cognito_identity_pool_no_unauthenticated_identities", MEMBER_IDENTITIES),
    *(
        (check, GOOD_CDN)
        for check in (
            "cloudfront_distribution_https_only",
            "cloudfront_distribution_origin_failover",
            "cloudfront_distribution_logging_enabled",
            "cloudfront_distribution_waf_enabled",
            "cloudfront_distribution_custom_certificate",
            "cloudfront_distribution_sni_enabled",
            "cloudfront_distribution_recommended_tls_policy",
            "cloudfront_distribution_origin_traffic_encrypted",
            "cloudfront_distribution_no_deprecated_origin_ssl",
        )
    ),
}

_VISIBILITY = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True}


# Clients of the current seed() (a client costs ~0.1 s to build; the next demo run has a new endpoint).
_CLIENTS: dict[tuple[str, str], Any] = {}


def _client(service: str, region: str = PRIMARY_REGION) -> Any:
    key = (service, region)
    if key not in _CLIENTS:
        _CLIENTS[key] = boto3.client(service, region_name=region)
    return _CLIENTS[key]


def _visibility(name: str) -> dict[str, Any]:
    return {**_VISIBILITY, "MetricName": name.replace("-", "")}


def _code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return {'statusCode': 200}\n")
    return buffer.getvalue()


def _default_subnets() -> list[str]:
    ec2 = _client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    by_zone = {s["AvailabilityZone"]: s["SubnetId"] for s in subnets}
    return [by_zone[zone] for zone in sorted(by_zone)[:2]]


def _seed_functions(estate: DemoEstate, subnets: list[str]) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = _client("iam").create_role(
        RoleName="soryoku-demo-function", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    client, code = _client("lambda"), _code()
    common = {"Role": role, "Runtime": "python3.13", "Handler": "handler.handler", "Code": {"ZipFile": code}}
    client.create_function(FunctionName=OPEN_FUNCTION, **common)
    client.create_function_url_config(FunctionName=OPEN_FUNCTION, AuthType="NONE")
    client.add_permission(
        FunctionName=OPEN_FUNCTION,
        StatementId="FunctionURLAllowPublicAccess",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )
    client.create_function(
        FunctionName=IAM_FUNCTION,
        VpcConfig={"SubnetIds": subnets, "SecurityGroupIds": []},
        **common,
    )
    client.create_function_url_config(FunctionName=IAM_FUNCTION, AuthType="AWS_IAM")
    estate.resources.update({"open_function": OPEN_FUNCTION, "iam_function": IAM_FUNCTION})


def _seed_containers(estate: DemoEstate, subnets: list[str]) -> None:
    ecr = _client("ecr")
    ecr.create_repository(repositoryName=UNSCANNED_REPO)
    ecr.create_repository(
        repositoryName=SCANNED_REPO,
        imageScanningConfiguration={"scanOnPush": True},
        imageTagMutability="IMMUTABLE",
    )
    expire = {
        "rulePriority": 1,
        "selection": {
            "tagStatus": "untagged",
            "countType": "sinceImagePushed",
            "countUnit": "days",
            "countNumber": 14,
        },
        "action": {"type": "expire"},
    }
    ecr.put_lifecycle_policy(repositoryName=SCANNED_REPO, lifecyclePolicyText=json.dumps({"rules": [expire]}))
    image = f"{estate.account_id}.dkr.ecr.{PRIMARY_REGION}.amazonaws.com/{SCANNED_REPO}:1.0.0"
    ecs = _client("ecs")
    ecs.register_task_definition(
        family=PRIVILEGED_TASK,
        containerDefinitions=[{"name": "node-agent", "image": image, "memory": 256, "privileged": True}],
    )
    ecs.register_task_definition(
        family=HARDENED_TASK,
        networkMode="awsvpc",
        containerDefinitions=[
            {
                "name": "web",
                "image": image,
                "memory": 256,
                "privileged": False,
                "user": "1000",
                "readonlyRootFilesystem": True,
                "secrets": [
                    {"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:000000000000:parameter/db"}
                ],
            }
        ],
    )
    eks = _client("eks")
    role = f"arn:aws:iam::{estate.account_id}:role/soryoku-demo-eks"
    eks.create_cluster(name=PUBLIC_CLUSTER, roleArn=role, resourcesVpcConfig={"subnetIds": subnets})
    eks.create_cluster(
        name=PRIVATE_CLUSTER,
        version="1.33",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": subnets,
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        encryptionConfig=[
            {
                "resources": ["secrets"],
                "provider": {"keyArn": f"arn:aws:kms:{PRIMARY_REGION}:{estate.account_id}:alias/aws/eks"},
            }
        ],
        logging={"clusterLogging": [{"types": ["api", "audit", "authenticator"], "enabled": True}]},
    )
    _reseed_simulator()


def _reseed_simulator() -> None:
    """Re-seed moto's id generator after the EKS calls.

    moto's EKS models draw random strings when the module is first imported (on the first EKS call
    of the process), so without this every id drawn later would differ between a process's first demo
    run and its next ones, and the second run's diff would show them as new.
    """
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if endpoint and endpoint.startswith("http://127.0.0.1:"):
        request = urllib.request.Request(f"{endpoint}/moto-api/seed?a=20211109", method="POST")
        urllib.request.urlopen(request, timeout=30).read()


def _managed(name: str, priority: int, override: str = "None") -> dict[str, Any]:
    return {
        "Name": name,
        "Priority": priority,
        "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": name}},
        "OverrideAction": {override: {}},
        "VisibilityConfig": _visibility(name),
    }


def _protected_acl(waf: Any, name: str, scope: str, account_id: str) -> str:
    """A web ACL with the managed baseline, Bot Control, a blocking rate-based rule and logging."""
    rate = {
        "Name": "per-client-ip",
        "Priority": 10,
        "Action": {"Block": {}},
        "Statement": {"RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}},
        "VisibilityConfig": _visibility("per-client-ip"),
    }
    arn = waf.create_web_acl(
        Name=name,
        Scope=scope,
        DefaultAction={"Allow": {}},
        Rules=[*(_managed(group, i) for i, group in enumerate(_BASELINE)), rate],
        VisibilityConfig=_visibility(name),
    )["Summary"]["ARN"]
    log_group = f"arn:aws:logs:{PRIMARY_REGION}:{account_id}:log-group:aws-waf-logs-{name}"
    waf.put_logging_configuration(
        LoggingConfiguration={"ResourceArn": arn, "LogDestinationConfigs": [log_group]}
    )
    return str(arn)


def _seed_web_acls(estate: DemoEstate) -> str:
    waf = _client("wafv2")
    edge = _protected_acl(waf, EDGE_ACL, "REGIONAL", estate.account_id)
    # The "we'll switch it to block later" ACL: the core rule set only counts, and without metrics.
    silent = {**_visibility("core"), "CloudWatchMetricsEnabled": False}
    waf.create_web_acl(
        Name=MONITOR_ACL,
        Scope="REGIONAL",
        DefaultAction={"Allow": {}},
        Rules=[{**_managed(_BASELINE[0], 0, "Count"), "VisibilityConfig": silent}],
        VisibilityConfig=_visibility(MONITOR_ACL),
        Tags=[{"Key": "soryoku:bot-control", "Value": "required"}],  # the team asked for Bot Control
    )
    admin = {
        "ByteMatchStatement": {
            "SearchString": "/admin",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}],
            "PositionalConstraint": "STARTS_WITH",
        }
    }
    waf.create_rule_group(
        Name=ADMIN_RULES,
        Scope="REGIONAL",
        Capacity=10,
        Rules=[
            {
                "Name": "block-admin",
                "Priority": 0,
                "Action": {"Block": {}},
                "Statement": admin,
                "VisibilityConfig": _visibility("block-admin"),
            }
        ],
        VisibilityConfig=_visibility(ADMIN_RULES),
    )
    estate.resources.update({"edge_web_acl": edge})
    return edge


def _seed_graphql_and_identity(estate: DemoEstate, web_acl: str) -> None:
    """The mobile app's GraphQL API and user pool behind the edge web ACL, and their careless twins."""
    idp, waf = _client("cognito-idp"), _client("wafv2")
    strong = {"MinimumLength": 12, "RequireUppercase": True, "RequireLowercase": True,
              "RequireNumbers": True, "RequireSymbols": True, "TemporaryPasswordValidityDays": 3}  # fmt: skip
    pool = idp.create_user_pool(
        PoolName=GOOD_POOL,
        MfaConfiguration="ON",
        DeletionProtection="ACTIVE",
        UserPoolAddOns={
            "AdvancedSecurityMode": "ENFORCED",
            "AdvancedSecurityAdditionalFlows": {"CustomAuthMode": "ENFORCED"},
        },
        Policies={"PasswordPolicy": strong},
    )["UserPool"]
    waf.associate_web_acl(WebACLArn=web_acl, ResourceArn=pool["Arn"])
    idp.create_user_pool(
        PoolName=LEGACY_POOL,
        Policies={"PasswordPolicy": {**strong, "MinimumLength": 6, "RequireSymbols": False}},
    )
    appsync = _client("appsync")
    role = f"arn:aws:iam::{estate.account_id}:role/soryoku-demo-appsync-logs"
    graph = appsync.create_graphql_api(
        name=GOOD_GRAPH,
        authenticationType="AMAZON_COGNITO_USER_POOLS",
        userPoolConfig={"userPoolId": pool["Id"], "awsRegion": PRIMARY_REGION, "defaultAction": "ALLOW"},
        additionalAuthenticationProviders=[{"authenticationType": "AWS_IAM"}],
        logConfig={"fieldLogLevel": "ERROR", "cloudWatchLogsRoleArn": role},
    )["graphqlApi"]
    waf.associate_web_acl(WebACLArn=web_acl, ResourceArn=graph["arn"])
    appsync.create_graphql_api(name=OPEN_GRAPH, authenticationType="API_KEY")
    identity = _client("cognito-identity")
    identity.create_identity_pool(IdentityPoolName=GUEST_IDENTITIES, AllowUnauthenticatedIdentities=True)
    identity.create_identity_pool(IdentityPoolName=MEMBER_IDENTITIES, AllowUnauthenticatedIdentities=False)
    estate.resources.update({"user_pool": pool["Id"], "graphql_api": graph["apiId"]})


def _rest_api(name: str) -> str:
    api = _client("apigateway")
    api_id = str(api.create_rest_api(name=name, endpointConfiguration={"types": ["REGIONAL"]})["id"])
    root = api.get_resources(restApiId=api_id)["items"][0]["id"]
    api.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="AWS_IAM")
    api.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    api.create_deployment(restApiId=api_id, stageName="prod")
    return api_id


def _seed_apis(estate: DemoEstate, web_acl: str) -> None:
    protected = _rest_api(PROTECTED_API)
    _rest_api(LEGACY_API)
    _client("apigateway").update_stage(
        restApiId=protected,
        stageName="prod",
        patchOperations=[
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
            {"op": "replace", "path": "/tracingEnabled", "value": "true"},
        ],
    )
    stage = f"arn:aws:apigateway:{PRIMARY_REGION}::/restapis/{protected}/stages/prod"
    _client("wafv2").associate_web_acl(WebACLArn=web_acl, ResourceArn=stage)
    v2 = _client("apigatewayv2")
    api_id = v2.create_api(Name=HTTP_API, ProtocolType="HTTP")["ApiId"]
    v2.create_route(ApiId=api_id, RouteKey="GET /items", AuthorizationType="NONE")
    v2.create_route(ApiId=api_id, RouteKey="POST /orders", AuthorizationType="AWS_IAM")
    log_group = f"arn:aws:logs:{PRIMARY_REGION}:{estate.account_id}:log-group:soryoku-demo-http-api"
    v2.create_stage(
        ApiId=api_id,
        StageName="live",
        AccessLogSettings={"DestinationArn": log_group, "Format": "$context.requestId $context.status"},
    )
    v2.create_stage(ApiId=api_id, StageName="dev")
    estate.resources.update({"protected_api": protected, "http_api": api_id})


def _cache_behavior(origin: str, viewer_policy: str) -> dict[str, Any]:
    return {
        "TargetOriginId": origin,
        "ViewerProtocolPolicy": viewer_policy,
        "MinTTL": 0,
        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
    }


def _custom_origin(origin_id: str, domain: str, policy: str, protocols: list[str]) -> dict[str, Any]:
    return {
        "Id": origin_id,
        "DomainName": domain,
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": policy,
            "OriginSslProtocols": {"Quantity": len(protocols), "Items": protocols},
        },
    }


def _seed_distributions(estate: DemoEstate) -> None:
    """The site's CDN behind a CLOUDFRONT-scope web ACL, and a forgotten legacy distribution."""
    cdn_acl = _protected_acl(_client("wafv2", "us-east-1"), CDN_ACL, "CLOUDFRONT", estate.account_id)
    cloudfront = _client("cloudfront")
    origins = [
        _custom_origin("primary", "app.soryoku-demo.example", "https-only", ["TLSv1.2"]),
        _custom_origin("standby", "standby.soryoku-demo.example", "https-only", ["TLSv1.2"]),
    ]
    logs = f"{PRIVATE_LOGS}.s3.amazonaws.com"
    certificate = f"arn:aws:acm:us-east-1:{estate.account_id}:certificate/soryoku-demo-cdn"
    failover = {
        "Id": "failover",
        "FailoverCriteria": {"StatusCodes": {"Quantity": 2, "Items": [502, 503]}},
        "Members": {"Quantity": 2, "Items": [{"OriginId": "primary"}, {"OriginId": "standby"}]},
    }
    cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "soryoku-demo-cdn",
            "Comment": "site CDN",
            "Enabled": True,
            "Aliases": {"Quantity": 1, "Items": [GOOD_CDN]},
            "DefaultRootObject": "index.html",
            "Origins": {"Quantity": 2, "Items": origins},
            "OriginGroups": {"Quantity": 1, "Items": [failover]},
            "DefaultCacheBehavior": _cache_behavior("primary", "redirect-to-https"),
            "Logging": {"Enabled": True, "IncludeCookies": False, "Bucket": logs, "Prefix": "cdn/"},
            "ViewerCertificate": {
                "CloudFrontDefaultCertificate": False,
                "ACMCertificateArn": certificate,
                "SSLSupportMethod": "sni-only",
                "MinimumProtocolVersion": "TLSv1.2_2021",
            },
            "WebACLId": cdn_acl,
        }
    )  # fmt: skip
    legacy_origins = [
        {"Id": "old-assets", "DomainName": f"{MISSING_BUCKET}.s3.amazonaws.com",
         "S3OriginConfig": {"OriginAccessIdentity": ""}},
        _custom_origin("old-app", "old-app.soryoku-demo.example", "http-only", ["SSLv3", "TLSv1"]),
    ]  # fmt: skip
    cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "soryoku-demo-legacy-cdn",
            "Comment": "legacy site",
            "Enabled": True,
            "Aliases": {"Quantity": 1, "Items": [LEGACY_CDN]},
            "Origins": {"Quantity": 2, "Items": legacy_origins},
            "DefaultCacheBehavior": _cache_behavior("old-assets", "allow-all"),
        }
    )


def seed(estate: DemoEstate) -> None:
    """Seed the application-edge twins into the simulated account."""
    _CLIENTS.clear()
    subnets = _default_subnets()
    _seed_functions(estate, subnets)
    _seed_containers(estate, subnets)
    edge_acl = _seed_web_acls(estate)
    _seed_apis(estate, edge_acl)
    _seed_graphql_and_identity(estate, edge_acl)
    _seed_distributions(estate)


__all__ = ["EXPECTED_FAILS", "EXPECTED_PASSES", "seed"]
