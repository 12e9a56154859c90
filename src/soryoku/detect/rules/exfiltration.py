"""Exfiltration: buckets made public, snapshots and images shared, bulk downloads."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, api_sql, burst_sql, rule

_TRANSFER = Attack("T1537", "Transfer Data to Cloud Account", "TA0010")
_STORAGE = Attack("T1530", "Data from Cloud Storage", "TA0010")
_BUCKET = "json_extract_string(request_parameters, '$.bucketName')"
_PUBLIC_PRINCIPAL = r"""'"Principal"\s*:\s*("\*"|\{\s*"AWS"\s*:\s*(\[[^\]]*)?"\*")'"""


def _shared_sql(event_source: str, event_name: str, resource: str, added: str) -> str:
    """SQL for "shared with everyone (`all`) or with an account that is neither ours nor trusted"."""
    return rf"""
WITH shares AS (
  SELECT *, coalesce({added}, '') AS added FROM cloudtrail
  WHERE error_code IS NULL AND event_source = '{event_source}' AND event_name = '{event_name}'
), judged AS (
  SELECT shares.*, list_filter(regexp_extract_all(added, '(\d{{12}})', 1),
                               lambda x: x <> shares.account AND NOT list_contains(t.accounts, x)) AS others
  FROM shares, (SELECT coalesce(list(account), []) AS accounts FROM trusted_accounts) t
)
SELECT time, account, region, actor, source_ip, {resource} AS resource, event_id AS evidence,
       event_name || ' shared with ' || CASE WHEN regexp_matches(added, '"all"') THEN 'everyone'
                                             ELSE array_to_string(others, ',') END AS detail,
       CASE WHEN regexp_matches(added, '"all"') THEN 'all' ELSE array_to_string(others, ',') END AS target
FROM judged WHERE regexp_matches(added, '"all"') OR len(others) > 0
"""


rule(
    id="s3_bucket_made_public",
    title="S3 bucket policy or ACL made public",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "s3.amazonaws.com",
        ("PutBucketPolicy", "PutBucketAcl"),
        resource=_BUCKET,
        where=f"(event_name = 'PutBucketPolicy' AND regexp_matches(CAST(json_extract(request_parameters, "
        f"'$.bucketPolicy') AS VARCHAR), {_PUBLIC_PRINCIPAL}) "
        "AND NOT regexp_matches(CAST(json_extract(request_parameters, '$.bucketPolicy') AS VARCHAR), "
        '\'"Effect"\\s*:\\s*"Deny"\')) '
        "OR (event_name = 'PutBucketAcl' "
        "AND (request_parameters LIKE '%acs.amazonaws.com/groups/global/AllUsers%' "
        "OR request_parameters LIKE '%acs.amazonaws.com/groups/global/AuthenticatedUsers%' "
        "OR request_parameters LIKE '%public-read%'))",
    ),
    rationale="A bucket readable by everyone is the most common cloud data leak; attackers open buckets "
    "to pull data out without credentials.",
    remediation="Remove the public statement or grant, and turn S3 Block Public Access on for the account.",
    attack=_STORAGE,
    guardduty="Policy:S3/BucketAnonymousAccessGranted",
    resource_type="AwsS3Bucket",
    category="exfiltration",
)

rule(
    id="s3_block_public_access_removed",
    title="S3 Block Public Access removed or relaxed",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "s3.amazonaws.com",
        (
            "PutBucketPublicAccessBlock",
            "DeleteBucketPublicAccessBlock",
            "PutAccountPublicAccessBlock",
            "DeleteAccountPublicAccessBlock",
        ),
        resource=f"coalesce({_BUCKET}, 'account:' || account)",
        where="event_name LIKE 'Delete%' OR regexp_matches(request_parameters, "
        "'\"(BlockPublicAcls|IgnorePublicAcls|BlockPublicPolicy|RestrictPublicBuckets)\"\\s*:\\s*false')",
    ),
    rationale="Block Public Access is the guard rail that keeps a mistaken or malicious policy from "
    "exposing data; removing it is the first step to making a bucket public.",
    remediation="Turn all four Block Public Access settings back on (account and bucket level).",
    attack=_STORAGE,
    guardduty="Policy:S3/BucketBlockPublicAccessDisabled",
    resource_type="AwsS3Bucket",
    category="exfiltration",
)

rule(
    id="ec2_snapshot_shared_externally",
    title="EBS snapshot shared publicly or with an unknown account",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=_shared_sql(
        "ec2.amazonaws.com",
        "ModifySnapshotAttribute",
        "json_extract_string(request_parameters, '$.snapshotId')",
        "CAST(json_extract(request_parameters, '$.createVolumePermission.add') AS VARCHAR)",
    ),
    rationale="Sharing a snapshot lets another account create a volume from it: a full copy of the disk.",
    remediation="Remove the permission (`aws ec2 modify-snapshot-attribute --operation-type remove`) and "
    "enable EBS snapshot block public access.",
    attack=_TRANSFER,
    resource_type="AwsEc2Snapshot",
    category="exfiltration",
    event_names=("ModifySnapshotAttribute",),
)

rule(
    id="ec2_image_shared_externally",
    title="AMI shared publicly or with an unknown account",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=_shared_sql(
        "ec2.amazonaws.com",
        "ModifyImageAttribute",
        "json_extract_string(request_parameters, '$.imageId')",
        "CAST(json_extract(request_parameters, '$.launchPermission.add') AS VARCHAR)",
    ),
    rationale="A shared image carries its disks (and any secrets baked into them) to the other account.",
    remediation="Remove the launch permission and enable AMI block public access.",
    attack=_TRANSFER,
    resource_type="AwsEc2Image",
    category="exfiltration",
    event_names=("ModifyImageAttribute",),
)

rule(
    id="rds_snapshot_shared_externally",
    title="RDS snapshot shared publicly or with an unknown account",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql="SELECT * FROM ("
    + _shared_sql(
        "rds.amazonaws.com",
        "ModifyDBSnapshotAttribute",
        "json_extract_string(request_parameters, '$.dBSnapshotIdentifier')",
        "CAST(json_extract(request_parameters, '$.valuesToAdd') AS VARCHAR)",
    )
    + ") UNION ALL SELECT * FROM ("
    + _shared_sql(
        "rds.amazonaws.com",
        "ModifyDBClusterSnapshotAttribute",
        "json_extract_string(request_parameters, '$.dBClusterSnapshotIdentifier')",
        "CAST(json_extract(request_parameters, '$.valuesToAdd') AS VARCHAR)",
    )
    + ")",
    rationale="A shared database snapshot can be restored by the other account, with all its data.",
    remediation="Remove the account from the snapshot's restore attribute.",
    attack=_TRANSFER,
    resource_type="AwsRdsDbSnapshot",
    category="exfiltration",
    event_names=("ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute"),
)

rule(
    id="s3_bulk_object_download",
    title="Bulk download of S3 objects by one principal",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=burst_sql(
        "error_code IS NULL AND event_source = 's3.amazonaws.com' AND event_name = 'GetObject'",
        threshold=500,
        names=("GetObject",),
        resource=_BUCKET,
    ),
    rationale="Hundreds of object reads by one principal in an hour, where data events are logged, is how "
    "a bucket is emptied into an attacker's hands.",
    remediation="Check the principal's purpose; restrict s3:GetObject and add VPC endpoint conditions.",
    attack=_STORAGE,
    guardduty="Exfiltration:S3/AnomalousBehavior",
    resource_type="AwsS3Bucket",
    category="exfiltration",
)
