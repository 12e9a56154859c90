"""Fixes for ECR, SQS, SNS, DynamoDB and ELBv2: scan on push, encryption, PITR, deletion protection."""

from __future__ import annotations

from soryoku.posture.fixes.base import ApiCall, Aws, Change, FixTarget, fix

SNS_MANAGED_KEY = "alias/aws/sns"


@fix("ecr_repository_scan_on_push_enabled", service="ecr", summary="Scan images on push")
def ecr_scan_on_push(target: FixTarget, aws: Aws) -> list[Change]:
    """Turn on basic scan on push for the repository (existing images are not rescanned)."""
    name = target.resource_uid.split(":repository/", 1)[-1]
    ecr = aws.client("ecr", target.region)
    repository = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
    if repository.get("imageScanningConfiguration", {}).get("scanOnPush"):
        return []
    call = ApiCall(
        "ecr",
        target.region,
        "put_image_scanning_configuration",
        {"repositoryName": name, "imageScanningConfiguration": {"scanOnPush": True}},
    )
    undo = ApiCall(
        "ecr",
        target.region,
        "put_image_scanning_configuration",
        {"repositoryName": name, "imageScanningConfiguration": {"scanOnPush": False}},
    )
    return [Change(call, {"scanOnPush": False}, {"scanOnPush": True}, undo)]


@fix("sqs_queue_encrypted", service="sqs", summary="Encrypt the queue with SQS-managed keys (SSE-SQS)")
def sqs_encryption(target: FixTarget, aws: Aws) -> list[Change]:
    """Enable SSE-SQS on the queue (messages already queued stay as they were)."""
    sqs = aws.client("sqs", target.region)
    url = sqs.get_queue_url(QueueName=target.arn_tail)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]).get("Attributes", {})
    if attributes.get("KmsMasterKeyId") or attributes.get("SqsManagedSseEnabled") == "true":
        return []
    before = attributes.get("SqsManagedSseEnabled", "false")
    call = ApiCall(
        "sqs",
        target.region,
        "set_queue_attributes",
        {"QueueUrl": url, "Attributes": {"SqsManagedSseEnabled": "true"}},
    )
    undo = ApiCall(
        "sqs",
        target.region,
        "set_queue_attributes",
        {"QueueUrl": url, "Attributes": {"SqsManagedSseEnabled": before}},
    )
    return [Change(call, {"SqsManagedSseEnabled": before}, {"SqsManagedSseEnabled": "true"}, undo)]


@fix("sns_topic_encrypted_kms", service="sns", summary="Encrypt the topic with the aws/sns KMS key")
def sns_encryption(target: FixTarget, aws: Aws) -> list[Change]:
    """Set the topic's KmsMasterKeyId to the AWS managed key (publishers need no change)."""
    sns = aws.client("sns", target.region)
    topic = target.resource_uid
    attributes = sns.get_topic_attributes(TopicArn=topic).get("Attributes", {})
    if attributes.get("KmsMasterKeyId"):
        return []
    base = {"TopicArn": topic, "AttributeName": "KmsMasterKeyId"}
    call = ApiCall("sns", target.region, "set_topic_attributes", {**base, "AttributeValue": SNS_MANAGED_KEY})
    undo = ApiCall("sns", target.region, "set_topic_attributes", {**base, "AttributeValue": ""})
    return [Change(call, {"KmsMasterKeyId": None}, {"KmsMasterKeyId": SNS_MANAGED_KEY}, undo)]


@fix("dynamodb_table_point_in_time_recovery", service="dynamodb", summary="Enable point-in-time recovery")
def dynamodb_pitr(target: FixTarget, aws: Aws) -> list[Change]:
    """Enable continuous backups with point-in-time recovery on the table."""
    table = target.arn_tail
    dynamodb = aws.client("dynamodb", target.region)
    description = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    status = description.get("PointInTimeRecoveryDescription", {}).get(
        "PointInTimeRecoveryStatus", "DISABLED"
    )
    if status == "ENABLED":
        return []

    def spec(enabled: bool) -> dict[str, object]:
        return {
            "TableName": table,
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": enabled},
        }

    call = ApiCall("dynamodb", target.region, "update_continuous_backups", spec(True))
    undo = ApiCall("dynamodb", target.region, "update_continuous_backups", spec(False))
    return [
        Change(call, {"PointInTimeRecoveryStatus": status}, {"PointInTimeRecoveryStatus": "ENABLED"}, undo)
    ]


@fix(
    "dynamodb_table_deletion_protection",
    service="dynamodb",
    summary="Enable deletion protection on the table",
)
def dynamodb_deletion_protection(target: FixTarget, aws: Aws) -> list[Change]:
    """Set DeletionProtectionEnabled on the table."""
    table = target.arn_tail
    dynamodb = aws.client("dynamodb", target.region)
    if dynamodb.describe_table(TableName=table)["Table"].get("DeletionProtectionEnabled"):
        return []
    call = ApiCall(
        "dynamodb", target.region, "update_table", {"TableName": table, "DeletionProtectionEnabled": True}
    )
    undo = ApiCall(
        "dynamodb", target.region, "update_table", {"TableName": table, "DeletionProtectionEnabled": False}
    )
    return [Change(call, {"DeletionProtectionEnabled": False}, {"DeletionProtectionEnabled": True}, undo)]


@fix(
    "elbv2_deletion_protection_enabled",
    service="elbv2",
    summary="Enable deletion protection on the load balancer",
)
def elbv2_deletion_protection(target: FixTarget, aws: Aws) -> list[Change]:
    """Set the load balancer attribute deletion_protection.enabled to true."""
    arn = target.resource_uid
    elbv2 = aws.client("elbv2", target.region)
    attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn).get("Attributes", [])
    current = next((a["Value"] for a in attributes if a["Key"] == "deletion_protection.enabled"), "false")
    if current == "true":
        return []

    def setting(value: str) -> dict[str, object]:
        return {
            "LoadBalancerArn": arn,
            "Attributes": [{"Key": "deletion_protection.enabled", "Value": value}],
        }

    call = ApiCall("elbv2", target.region, "modify_load_balancer_attributes", setting("true"))
    undo = ApiCall("elbv2", target.region, "modify_load_balancer_attributes", setting(current))
    return [
        Change(call, {"deletion_protection.enabled": current}, {"deletion_protection.enabled": "true"}, undo)
    ]
