"""Lambda checks: public resource policies, function URLs without auth, runtimes, VPC placement."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from soryoku.core.severity import Severity
from soryoku.inventory.awslambda import LambdaFunction
from soryoku.posture.policy import analyze_resource_policy
from soryoku.posture.registry import check
from soryoku.posture.results import CheckContext, CheckResult, failed, passed

FUNCTIONS = "lambda.functions"
RESOURCE_TYPE = "AwsLambdaFunction"


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Lambda's deprecation dates (AWS Lambda runtimes page, "Supported runtimes" and "Deprecated runtimes"
# tables, https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html): a runtime FAILs Lambda.2
# from its deprecation date on. Refreshed 2026-11-29; the search index served the page only in
# excerpts, so the dates were read from copies of its tables quoted with the page as their source
# (tflint-ruleset-aws rules/aws_lambda_function_deprecated_runtime.go; a 2026-07-25 transcription of
# the Python table), the newest copy winning: python3.10 moved to 2026-10-31, dotnet8 ends 2026-11-10.
# Runtimes not listed (java8.al2/11/17, provided.al2, whose dates could not be confirmed) are judged
# current.
DEPRECATED_RUNTIMES: dict[str, datetime] = {
    runtime: _day(day)
    for runtime, day in {
        "python2.7": "2021-07-15",
        "python3.6": "2022-07-18",
        "python3.7": "2023-12-04",
        "python3.8": "2024-10-14",
        "python3.9": "2025-12-15",
        "python3.10": "2026-10-31",
        "python3.11": "2027-06-30",
        "python3.12": "2028-10-31",
        "python3.13": "2029-06-30",
        "python3.14": "2029-06-30",
        "nodejs": "2016-10-31",
        "nodejs4.3": "2020-03-05",
        "nodejs4.3-edge": "2019-04-30",
        "nodejs6.10": "2019-08-12",
        "nodejs8.10": "2020-03-06",
        "nodejs10.x": "2021-07-30",
        "nodejs12.x": "2023-03-31",
        "nodejs14.x": "2023-12-04",
        "nodejs16.x": "2024-06-12",
        "nodejs18.x": "2025-09-01",
        "nodejs20.x": "2026-04-30",
        "nodejs22.x": "2027-04-30",
        "java8": "2024-01-08",
        "go1.x": "2024-01-08",
        "provided": "2024-01-08",
        "ruby2.5": "2021-07-30",
        "ruby2.7": "2023-12-07",
        "ruby3.2": "2026-03-31",
        "ruby3.3": "2027-03-31",
        "dotnetcore1.0": "2019-07-30",
        "dotnetcore2.0": "2019-05-30",
        "dotnetcore2.1": "2022-01-05",
        "dotnetcore3.1": "2023-04-03",
        "dotnet5.0": "2022-05-10",
        "dotnet6": "2024-12-20",
        "dotnet7": "2024-05-14",
        "dotnet8": "2026-11-10",
        "java21": "2029-06-30",
        "provided.al2023": "2029-06-30",
    }.items()
}


@check(
    "lambda_function_not_publicly_accessible",
    service="lambda",
    resource_type=RESOURCE_TYPE,
    severity=Severity.CRITICAL,
    collectors=(FUNCTIONS,),
)
def function_not_public(function: LambdaFunction, ctx: CheckContext) -> CheckResult:
    """FAIL when the function policy lets anyone invoke it, or lets S3 invoke it without aws:SourceAccount."""
    if function.policy is None:
        return passed(f"Lambda function {function.name} has no resource policy.")
    access = analyze_resource_policy(function.policy, ctx.account_id)
    if access.public:
        return failed(
            f"Lambda function {function.name} is public: its resource policy allows everyone "
            f"({access.describe()}).",
            statements=list(access.public_statements),
        )
    unpinned_s3 = [
        g.statement.label
        for g in access.grants
        if "s3.amazonaws.com" in g.services
        and not any(r.key.lower() == "aws:sourceaccount" for r in g.restrictions)
    ]
    if unpinned_s3:
        return failed(
            f"Lambda function {function.name} lets Amazon S3 invoke it without an aws:SourceAccount "
            f"condition ({', '.join(unpinned_s3)}): any account's bucket could trigger it.",
            statements=unpinned_s3,
        )
    return passed(f"Lambda function {function.name} is not public: {access.describe()}.")


@check(
    "lambda_function_url_auth_required",
    service="lambda",
    resource_type=RESOURCE_TYPE,
    severity=Severity.HIGH,
    collectors=(FUNCTIONS,),
)
def function_url_auth(function: LambdaFunction, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when the function has a URL whose AuthType is NONE (anyone on the internet can call it)."""
    if function.url_auth_type is None:
        return
    if function.url_auth_type == "NONE":
        yield failed(
            f"Lambda function {function.name} has a function URL with AuthType NONE: anyone who knows "
            "the URL can invoke it.",
            exposure="internet",
            auth_type="NONE",
        )
    else:
        yield passed(
            f"Lambda function {function.name}'s function URL requires {function.url_auth_type} auth.",
            auth_type=function.url_auth_type,
        )


@check(
    "lambda_function_supported_runtime",
    service="lambda",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(FUNCTIONS,),
)
def supported_runtime(function: LambdaFunction, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a zip-packaged function uses a runtime Lambda has deprecated (images are out of scope)."""
    if function.package_type == "Image" or not function.runtime:
        return
    deprecated = DEPRECATED_RUNTIMES.get(function.runtime)
    if deprecated is not None and deprecated <= ctx.now:
        yield failed(
            f"Lambda function {function.name} uses {function.runtime}, deprecated since "
            f"{deprecated.date().isoformat()}: it no longer receives security patches.",
            runtime=function.runtime,
        )
    else:
        yield passed(f"Lambda function {function.name} uses the supported runtime {function.runtime}.")


@check(
    "lambda_function_in_vpc",
    service="lambda",
    resource_type=RESOURCE_TYPE,
    severity=Severity.LOW,
    collectors=(FUNCTIONS,),
)
def in_vpc(function: LambdaFunction, ctx: CheckContext) -> CheckResult:
    """FAIL when the function is not connected to a VPC."""
    if function.vpc_id:
        return passed(f"Lambda function {function.name} runs in {function.vpc_id}.")
    return failed(f"Lambda function {function.name} is not connected to a VPC.")


@check(
    "lambda_function_vpc_multi_az",
    service="lambda",
    resource_type=RESOURCE_TYPE,
    severity=Severity.MEDIUM,
    collectors=(FUNCTIONS,),
)
def vpc_multi_az(function: LambdaFunction, ctx: CheckContext) -> Iterator[CheckResult]:
    """FAIL when a VPC-connected function's subnets sit in fewer than two Availability Zones."""
    if not function.vpc_id:
        return
    zones = function.subnet_zones
    if len(zones) >= 2:
        yield passed(f"Lambda function {function.name} uses subnets in {len(zones)} Availability Zones.")
    else:
        yield failed(
            f"Lambda function {function.name} uses subnets in {len(zones)} Availability Zone(s) "
            f"({', '.join(zones) or 'none resolved'}): one zone's outage stops it.",
            zones=list(zones),
        )
