"""PASS/FAIL cases of the apps-edge group: Lambda, ECR, ECS, EKS, API Gateway, CloudFront and AWS WAF."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from soryoku.inventory.apigateway import HttpApiRoute, HttpApiStage, MethodSetting, RestStage
from soryoku.inventory.awslambda import LambdaFunction
from soryoku.inventory.cloudfront import CloudFrontDistribution, CloudFrontOrigin
from soryoku.inventory.ecr import EcrRepository
from soryoku.inventory.ecs import EcsContainer, EcsTaskDefinition
from soryoku.inventory.eks import EksCluster
from soryoku.inventory.wafv2 import WafProtectedResource, WafRule, WebAcl

from .cases import ACCOUNT, FAIL, PASS, REGION, Case

# -- Lambda --

FUNCTION = LambdaFunction(
    arn=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:api",
    region=REGION,
    name="api",
    runtime="python3.13",
    package_type="Zip",
    vpc_id=None,
    subnet_ids=(),
    subnet_zones=(),
    policy=None,
    url_auth_type=None,
)


def fn(**kwargs: Any) -> LambdaFunction:
    return replace(FUNCTION, **kwargs)


def statement(principal: Any, action: str, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"Sid": "s1", "Effect": "Allow", "Principal": principal, "Action": action}
    body["Resource"] = FUNCTION.arn
    if condition:
        body["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [body]}


URL_PUBLIC = statement(
    "*", "lambda:InvokeFunctionUrl", {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}
)
S3_UNPINNED = statement(
    {"Service": "s3.amazonaws.com"}, "lambda:InvokeFunction", {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}}
)
S3_PINNED = statement(
    {"Service": "s3.amazonaws.com"}, "lambda:InvokeFunction", {"StringEquals": {"AWS:SourceAccount": ACCOUNT}}
)
IN_VPC = {"vpc_id": "vpc-1", "subnet_ids": ("subnet-a", "subnet-b")}

LAMBDA_CASES = [
    Case("no policy", "lambda_function_not_publicly_accessible", fn(), PASS),
    Case("public URL statement", "lambda_function_not_publicly_accessible", fn(policy=URL_PUBLIC), FAIL,
         says="public"),
    Case("S3 grant without SourceAccount", "lambda_function_not_publicly_accessible", fn(policy=S3_UNPINNED),
         FAIL, says="aws:SourceAccount"),
    Case("S3 grant pinned to the account", "lambda_function_not_publicly_accessible", fn(policy=S3_PINNED),
         PASS),
    Case("URL with AuthType NONE", "lambda_function_url_auth_required", fn(url_auth_type="NONE"), FAIL,
         says="AuthType NONE"),
    Case("URL with IAM auth", "lambda_function_url_auth_required", fn(url_auth_type="AWS_IAM"), PASS),
    Case("current runtime", "lambda_function_supported_runtime", fn(), PASS),
    Case("python3.8 is deprecated", "lambda_function_supported_runtime", fn(runtime="python3.8"), FAIL,
         says="2024-10-14"),
    Case("not in a VPC", "lambda_function_in_vpc", fn(), FAIL),
    Case("in a VPC", "lambda_function_in_vpc", fn(**IN_VPC), PASS),
    Case("two zones", "lambda_function_vpc_multi_az", fn(**IN_VPC, subnet_zones=("eu-west-1a", "eu-west-1b")),
         PASS),
    Case("one zone", "lambda_function_vpc_multi_az", fn(**IN_VPC, subnet_zones=("eu-west-1a",)), FAIL,
         says="1 Availability Zone"),
]  # fmt: skip

# -- ECR --

REPO = EcrRepository(
    arn=f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/app",
    region=REGION,
    name="app",
    scan_on_push=True,
    registry_scan_on_push=False,
    tag_mutability="IMMUTABLE",
    lifecycle_policy=True,
    policy=None,
)

ECR_CASES = [
    Case("scan on push", "ecr_repository_scan_on_push_enabled", REPO, PASS),
    Case("registry-wide scanning", "ecr_repository_scan_on_push_enabled",
         replace(REPO, scan_on_push=False, registry_scan_on_push=True), PASS, says="registry-wide"),
    Case("no scanning", "ecr_repository_scan_on_push_enabled", replace(REPO, scan_on_push=False), FAIL),
    Case("immutable tags", "ecr_repository_tag_immutability", REPO, PASS),
    Case("mutable tags", "ecr_repository_tag_immutability", replace(REPO, tag_mutability="MUTABLE"), FAIL),
    Case("lifecycle policy", "ecr_repository_lifecycle_policy", REPO, PASS),
    Case("no lifecycle policy", "ecr_repository_lifecycle_policy", replace(REPO, lifecycle_policy=False),
         FAIL),
    Case("no repository policy", "ecr_repository_not_publicly_accessible", REPO, PASS),
    Case("public pull", "ecr_repository_not_publicly_accessible",
         replace(REPO, policy=statement("*", "ecr:BatchGetImage")), FAIL, says="public"),
    Case("organisation pull", "ecr_repository_not_publicly_accessible",
         replace(REPO, policy=statement("*", "ecr:BatchGetImage",
                                        {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})), PASS),
]  # fmt: skip

# -- ECS --

SAFE_CONTAINER = EcsContainer("web", False, "1000", True, ("PORT",))
TASK = EcsTaskDefinition(
    arn=f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:3",
    region=REGION,
    name="web:3",
    network_mode="awsvpc",
    pid_mode=None,
    containers=(SAFE_CONTAINER,),
)


def task(*containers: EcsContainer, **kwargs: Any) -> EcsTaskDefinition:
    return replace(TASK, containers=containers or TASK.containers, **kwargs)


ECS_CASES = [
    Case("unprivileged", "ecs_task_definition_no_privileged_containers", task(), PASS),
    Case("privileged sidecar", "ecs_task_definition_no_privileged_containers",
         task(SAFE_CONTAINER, replace(SAFE_CONTAINER, name="agent", privileged=True)), FAIL, says="agent"),
    Case("read-only root", "ecs_task_definition_readonly_root_filesystem", task(), PASS),
    Case("writable root by default", "ecs_task_definition_readonly_root_filesystem",
         task(replace(SAFE_CONTAINER, readonly_root_filesystem=None)), FAIL),
    Case("no secrets in env", "ecs_task_definition_no_secrets_in_environment", task(), PASS),
    Case("access key in env", "ecs_task_definition_no_secrets_in_environment",
         task(replace(SAFE_CONTAINER, environment_names=("AWS_SECRET_ACCESS_KEY", "PORT"))), FAIL,
         says="web:AWS_SECRET_ACCESS_KEY"),
    Case("task pid mode", "ecs_task_definition_no_host_pid_mode", task(pid_mode="task"), PASS),
    Case("host pid mode", "ecs_task_definition_no_host_pid_mode", task(pid_mode="host"), FAIL),
    Case("host network, non-root user", "ecs_task_definition_host_network_nonroot_user",
         task(network_mode="host"), PASS),
    Case("host network, no user", "ecs_task_definition_host_network_nonroot_user",
         task(replace(SAFE_CONTAINER, user=None), network_mode="host"), FAIL, says="root"),
    Case("host network, uid 0", "ecs_task_definition_host_network_nonroot_user",
         task(replace(SAFE_CONTAINER, user="0:0"), network_mode="host"), FAIL),
]  # fmt: skip

# -- EKS --

CLUSTER = EksCluster(
    arn=f"arn:aws:eks:{REGION}:{ACCOUNT}:cluster/prod",
    region=REGION,
    name="prod",
    version="1.33",
    endpoint_public=False,
    endpoint_private=True,
    public_access_cidrs=(),
    secrets_encrypted=True,
    log_types=("api", "audit", "authenticator"),
)

EKS_CASES = [
    Case("private endpoint", "eks_cluster_endpoint_not_public", CLUSTER, PASS),
    Case("public endpoint", "eks_cluster_endpoint_not_public",
         replace(CLUSTER, endpoint_public=True, public_access_cidrs=("0.0.0.0/0",)), FAIL, says="0.0.0.0/0"),
    Case("public endpoint limited to an office", "eks_cluster_endpoint_not_public",
         replace(CLUSTER, endpoint_public=True, public_access_cidrs=("203.0.113.0/24",)), FAIL),
    Case("supported version", "eks_cluster_supported_version", CLUSTER, PASS),
    Case("newer than the table", "eks_cluster_supported_version", replace(CLUSTER, version="1.40"), PASS),
    Case("1.28 is out of support", "eks_cluster_supported_version", replace(CLUSTER, version="1.28"), FAIL),
    Case("moto's default 1.19", "eks_cluster_supported_version", replace(CLUSTER, version="1.19"), FAIL),
    Case("secrets encrypted", "eks_cluster_secrets_encrypted", CLUSTER, PASS),
    Case("secrets not encrypted", "eks_cluster_secrets_encrypted", replace(CLUSTER, secrets_encrypted=False),
         FAIL),
    Case("audit log on", "eks_cluster_audit_logging_enabled", CLUSTER, PASS),
    Case("api log only", "eks_cluster_audit_logging_enabled", replace(CLUSTER, log_types=("api",)), FAIL,
         says="enabled: api"),
]  # fmt: skip

# -- API Gateway --

WAF_ARN = f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/edge/abc"
STAGE = RestStage(
    arn=f"arn:aws:apigateway:{REGION}::/restapis/a1/stages/prod",
    region=REGION,
    name="orders/prod",
    api_id="a1",
    api_name="orders",
    stage="prod",
    endpoint_types=("REGIONAL",),
    client_certificate_id="cert-1",
    tracing_enabled=True,
    web_acl_arn=WAF_ARN,
    cache_cluster_enabled=False,
    access_log_destination=None,
    methods=(MethodSetting("*/*", "ERROR", False, False),),
)
ROUTE = HttpApiRoute(
    f"arn:aws:apigateway:{REGION}::/apis/h1/routes/r1", REGION, "shop GET /items", "h1", "shop", "HTTP",
    "GET /items", "JWT",
)  # fmt: skip
V2_STAGE = HttpApiStage(
    f"arn:aws:apigateway:{REGION}::/apis/h1/stages/$default", REGION, "shop/$default", "h1", "shop", "HTTP",
    "$default", f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:api",
)  # fmt: skip

APIGATEWAY_CASES = [
    Case("logs at ERROR", "apigateway_stage_execution_logging_enabled", STAGE, PASS),
    Case("no method settings", "apigateway_stage_execution_logging_enabled", replace(STAGE, methods=()), FAIL,
         says="OFF"),
    Case("one method turned off", "apigateway_stage_execution_logging_enabled",
         replace(STAGE, methods=(*STAGE.methods, MethodSetting("items/GET", "OFF", False, False))), FAIL,
         says="items/GET"),
    Case("client certificate", "apigateway_stage_client_certificate_enabled", STAGE, PASS),
    Case("no client certificate", "apigateway_stage_client_certificate_enabled",
         replace(STAGE, client_certificate_id=None), FAIL),
    Case("tracing", "apigateway_stage_xray_tracing_enabled", STAGE, PASS),
    Case("no tracing", "apigateway_stage_xray_tracing_enabled", replace(STAGE, tracing_enabled=False), FAIL),
    Case("web ACL", "apigateway_stage_waf_acl_attached", STAGE, PASS, says="edge"),
    Case("no web ACL", "apigateway_stage_waf_acl_attached", replace(STAGE, web_acl_arn=None), FAIL),
    Case("no caching", "apigateway_stage_cache_encrypted", STAGE, PASS, says="caches no method"),
    Case("encrypted cache", "apigateway_stage_cache_encrypted",
         replace(STAGE, methods=(MethodSetting("*/*", "ERROR", True, True),)), PASS),
    Case("plain cache", "apigateway_stage_cache_encrypted",
         replace(STAGE, methods=(MethodSetting("*/*", "ERROR", True, False),)), FAIL),
    Case("JWT route", "apigatewayv2_route_authorization_type", ROUTE, PASS),
    Case("open route", "apigatewayv2_route_authorization_type", replace(ROUTE, authorization_type="NONE"),
         FAIL),
    Case("access logs", "apigatewayv2_stage_access_logging_enabled", V2_STAGE, PASS),
    Case("no access logs", "apigatewayv2_stage_access_logging_enabled",
         replace(V2_STAGE, access_log_destination=None), FAIL),
    Case("WebSocket logs at INFO", "apigatewayv2_websocket_stage_execution_logging_enabled",
         replace(V2_STAGE, protocol="WEBSOCKET", logging_level="INFO"), PASS),
    Case("WebSocket without logging", "apigatewayv2_websocket_stage_execution_logging_enabled",
         replace(V2_STAGE, protocol="WEBSOCKET"), FAIL, says="OFF"),
]  # fmt: skip

# -- CloudFront --

S3_ORIGIN = CloudFrontOrigin(
    "site", "site.s3.us-east-1.amazonaws.com", "s3", None, (), None, "oac-1", "site", True
)
CUSTOM_ORIGIN = CloudFrontOrigin(
    "app", "app.example.com", "custom", "https-only", ("TLSv1.2",), None, None, None, None
)
DIST = CloudFrontDistribution(
    arn=f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1",
    region="us-east-1",
    name="E1",
    domain_name="d1.cloudfront.net",
    aliases=("www.example.com",),
    default_root_object="index.html",
    viewer_protocol_policies=(("*", "redirect-to-https"),),
    origins=(S3_ORIGIN, CUSTOM_ORIGIN),
    failover_groups=1,
    logging_enabled=True,
    web_acl_id=f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/edge/abc",
    default_certificate=False,
    ssl_support_method="sni-only",
    minimum_protocol_version="TLSv1.2_2021",
)


def dist(**kwargs: Any) -> CloudFrontDistribution:
    return replace(DIST, **kwargs)


CLOUDFRONT_CASES = [
    Case("root object", "cloudfront_distribution_default_root_object", DIST, PASS),
    Case("no root object", "cloudfront_distribution_default_root_object", dist(default_root_object=""), FAIL),
    Case("redirects to HTTPS", "cloudfront_distribution_https_only", DIST, PASS),
    Case("allow-all behavior", "cloudfront_distribution_https_only",
         dist(viewer_protocol_policies=(("*", "https-only"), ("/img/*", "allow-all"))), FAIL, says="/img/*"),
    Case("failover group", "cloudfront_distribution_origin_failover", DIST, PASS),
    Case("no failover", "cloudfront_distribution_origin_failover", dist(failover_groups=0), FAIL),
    Case("logging", "cloudfront_distribution_logging_enabled", DIST, PASS),
    Case("no logging", "cloudfront_distribution_logging_enabled", dist(logging_enabled=False), FAIL),
    Case("web ACL", "cloudfront_distribution_waf_enabled", DIST, PASS),
    Case("no web ACL", "cloudfront_distribution_waf_enabled", dist(web_acl_id=""), FAIL),
    Case("custom certificate", "cloudfront_distribution_custom_certificate", DIST, PASS),
    Case("default certificate", "cloudfront_distribution_custom_certificate", dist(default_certificate=True),
         FAIL),
    Case("SNI", "cloudfront_distribution_sni_enabled", DIST, PASS),
    Case("TLSv1.2_2021", "cloudfront_distribution_recommended_tls_policy", DIST, PASS),
    Case("TLSv1 policy", "cloudfront_distribution_recommended_tls_policy",
         dist(minimum_protocol_version="TLSv1_2016"), FAIL, says="TLSv1_2016"),
    Case("dedicated IP", "cloudfront_distribution_sni_enabled", dist(ssl_support_method="vip"), FAIL),
    Case("HTTPS to origin", "cloudfront_distribution_origin_traffic_encrypted", DIST, PASS),
    Case("http-only origin", "cloudfront_distribution_origin_traffic_encrypted",
         dist(origins=(replace(CUSTOM_ORIGIN, protocol_policy="http-only"),)), FAIL, says="app"),
    Case("match-viewer with HTTP viewers", "cloudfront_distribution_origin_traffic_encrypted",
         dist(origins=(replace(CUSTOM_ORIGIN, protocol_policy="match-viewer"),),
              viewer_protocol_policies=(("*", "allow-all"),)), FAIL),
    Case("TLSv1.2 to origin", "cloudfront_distribution_no_deprecated_origin_ssl", DIST, PASS),
    Case("SSLv3 to origin", "cloudfront_distribution_no_deprecated_origin_ssl",
         dist(origins=(replace(CUSTOM_ORIGIN, ssl_protocols=("SSLv3", "TLSv1")),)), FAIL),
    Case("bucket exists", "cloudfront_distribution_s3_origin_exists", DIST, PASS),
    Case("bucket gone", "cloudfront_distribution_s3_origin_exists",
         dist(origins=(replace(S3_ORIGIN, bucket_exists=False),)), FAIL, says="site"),
    Case("origin access control", "cloudfront_distribution_s3_origin_access_control", DIST, PASS),
    Case("legacy OAI", "cloudfront_distribution_s3_origin_access_control",
         dist(origins=(replace(S3_ORIGIN, origin_access_control_id=None,
                               origin_access_identity="origin-access-identity/cloudfront/E2"),)), FAIL,
         says="legacy OAI"),
]  # fmt: skip

# -- AWS WAF --

BASELINE = tuple(
    WafRule(group, i, "managed", "None", vendor="AWS", group=group)
    for i, group in enumerate(
        ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
         "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesBotControlRuleSet")
    )
)  # fmt: skip
RATE = WafRule("per-ip", 10, "rate", "Block")
ACL = WebAcl(
    arn=f"arn:aws:wafv2:{REGION}:{ACCOUNT}:regional/webacl/edge/abc",
    region=REGION,
    name="edge",
    scope="REGIONAL",
    default_action="Allow",
    rules=(*BASELINE, RATE),
    logging_enabled=True,
)


def acl(*rules: WafRule, **kwargs: Any) -> WebAcl:
    return replace(ACL, rules=rules, **kwargs)


ALB = WafProtectedResource(
    f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/web/1", REGION, "web", "alb", WAF_ARN
)

WAF_CASES = [
    Case("rules", "wafv2_web_acl_has_rules", ACL, PASS),
    Case("empty ACL", "wafv2_web_acl_has_rules", acl(), FAIL, says="default action"),
    Case("logging", "wafv2_web_acl_logging_enabled", ACL, PASS),
    Case("no logging", "wafv2_web_acl_logging_enabled", replace(ACL, logging_enabled=False), FAIL),
    Case("metrics", "wafv2_web_acl_rule_metrics_enabled", ACL, PASS),
    Case("rule without metrics", "wafv2_web_acl_rule_metrics_enabled",
         acl(replace(RATE, metrics_enabled=False)), FAIL, says="per-ip"),
    Case("baseline present", "wafv2_web_acl_aws_managed_baseline", ACL, PASS),
    Case("IP reputation missing", "wafv2_web_acl_aws_managed_baseline", acl(BASELINE[0], BASELINE[1], RATE),
         FAIL, says="Amazon IP reputation list"),
    Case("blocking", "wafv2_web_acl_rules_block_mode", ACL, PASS),
    Case("core set in count", "wafv2_web_acl_rules_block_mode",
         acl(replace(BASELINE[0], action="Count"), RATE), FAIL, says="AWSManagedRulesCommonRuleSet"),
    Case("baseline rule counted", "wafv2_web_acl_rules_block_mode",
         acl(replace(BASELINE[0], counted_rules=("SizeRestrictions_BODY",)), RATE), FAIL,
         says="SizeRestrictions_BODY"),
    Case("rate rule counting", "wafv2_web_acl_rules_block_mode", acl(replace(RATE, action="Count")), FAIL),
    Case("custom count rule is fine", "wafv2_web_acl_rules_block_mode",
         acl(WafRule("label-admin", 1, "custom", "Count")), PASS),
    Case("rate rule", "wafv2_web_acl_rate_based_rule", ACL, PASS),
    Case("no rate rule", "wafv2_web_acl_rate_based_rule", acl(*BASELINE), FAIL),
    Case("bot control", "wafv2_web_acl_bot_control", ACL, PASS),
    Case("no bot control, asked for by tag", "wafv2_web_acl_bot_control",
         acl(*BASELINE[:3], RATE, tags=(("soryoku:bot-control", "required"),)), FAIL, says="tagged"),
    Case("ALB with web ACL", "wafv2_alb_web_acl_attached", ALB, PASS, says="edge"),
    Case("ALB without web ACL", "wafv2_alb_web_acl_attached", replace(ALB, web_acl_arn=None), FAIL),
]  # fmt: skip

CASES: list[Case] = (
    LAMBDA_CASES + ECR_CASES + ECS_CASES + EKS_CASES + APIGATEWAY_CASES + CLOUDFRONT_CASES + WAF_CASES
)

SILENT_CASES: list[tuple[str, Any]] = [
    ("lambda_function_url_auth_required", FUNCTION),
    ("lambda_function_supported_runtime", fn(package_type="Image", runtime=None)),
    ("lambda_function_vpc_multi_az", FUNCTION),
    ("ecs_task_definition_host_network_nonroot_user", TASK),
    ("apigatewayv2_websocket_stage_execution_logging_enabled", V2_STAGE),
    (
        "ecs_task_definition_readonly_root_filesystem",
        task(replace(SAFE_CONTAINER, readonly_root_filesystem=None), os_family="WINDOWS_SERVER_2022_CORE"),
    ),
    ("cloudfront_distribution_sni_enabled", dist(default_certificate=True)),
    ("cloudfront_distribution_recommended_tls_policy", dist(default_certificate=True)),
    ("cloudfront_distribution_default_root_object", dist(origins=(CUSTOM_ORIGIN,), default_root_object="")),
    ("cloudfront_distribution_origin_traffic_encrypted", dist(origins=(S3_ORIGIN,))),
    ("cloudfront_distribution_s3_origin_exists", dist(origins=(CUSTOM_ORIGIN,))),
    ("cloudfront_distribution_s3_origin_access_control", dist(origins=(CUSTOM_ORIGIN,))),
]
