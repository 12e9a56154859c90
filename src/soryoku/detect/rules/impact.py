"""Impact: destruction, ransom encryption, key deletion and resource hijacking."""

from __future__ import annotations

from soryoku.core.severity import Severity
from soryoku.detect.rules.model import Attack, api_sql, burst_sql, rule

_HIJACK = Attack("T1496", "Resource Hijacking", "TA0040")
# GPU/accelerator families and very large sizes: what crypto-miners launch.
GPU_TYPES = (
    r"'^(p[2-6][a-z0-9-]*|g[3-6][a-z0-9-]*|gr6|inf[12]|trn[12][a-z]*|dl[12][a-z]*|f[12]|vt1)\.'"
    r" || '|\.(metal|24xlarge|32xlarge|48xlarge)$'"
)
_INSTANCE_TYPE = "json_extract_string(request_parameters, '$.instanceType')"

rule(
    id="s3_mass_deletion",
    title="Mass deletion of S3 objects or buckets",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=burst_sql(
        "error_code IS NULL AND event_source = 's3.amazonaws.com' "
        "AND event_name IN ('DeleteObject', 'DeleteObjects', 'DeleteBucket')",
        threshold=100,
        names=("DeleteObject", "DeleteObjects", "DeleteBucket"),
        resource="json_extract_string(request_parameters, '$.bucketName')",
    ),
    rationale="A hundred deletions by one principal in an hour is data destruction (or the clean-up after "
    "a ransom copy).",
    remediation="Stop the principal, restore from versioning/backup, and enable MFA delete or Object Lock "
    "on critical buckets.",
    attack=Attack("T1485", "Data Destruction", "TA0040"),
    guardduty="Impact:S3/AnomalousBehavior.Delete",
    resource_type="AwsS3Bucket",
    category="impact",
)

rule(
    id="s3_ssec_reencryption",
    title="Objects rewritten with customer-provided keys (SSE-C ransom pattern)",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=burst_sql(
        "error_code IS NULL AND event_source = 's3.amazonaws.com' "
        "AND event_name IN ('CopyObject', 'PutObject') "
        "AND request_parameters LIKE '%x-amz-server-side-encryption-customer-algorithm%'",
        threshold=10,
        names=("CopyObject", "PutObject"),
        resource="json_extract_string(request_parameters, '$.bucketName')",
    ),
    rationale="Rewriting objects with SSE-C means only the holder of the key can read them again: "
    "ransomware for S3.",
    remediation="Revoke the credentials, restore previous object versions, and deny "
    "s3:x-amz-server-side-encryption-customer-algorithm where SSE-C is not used.",
    attack=Attack("T1486", "Data Encrypted for Impact", "TA0040"),
    resource_type="AwsS3Bucket",
    category="impact",
)

rule(
    id="kms_key_deletion_scheduled",
    title="KMS key scheduled for deletion or disabled",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=api_sql(
        "kms.amazonaws.com",
        ("ScheduleKeyDeletion", "DisableKey"),
        resource="json_extract_string(request_parameters, '$.keyId')",
    ),
    rationale="Data encrypted under a deleted key is lost for good; disabling a key makes it unreadable now.",
    remediation="Cancel the deletion (`aws kms cancel-key-deletion`) or re-enable the key, then investigate.",
    attack=Attack("T1485", "Data Destruction", "TA0040"),
    resource_type="AwsKmsKey",
    category="impact",
)

rule(
    id="ec2_gpu_instances_in_unused_region",
    title="GPU or very large instances launched in a region the account does not use",
    severity=Severity.HIGH,
    source="cloudtrail",
    sql=f"""
SELECT c.time, c.account, c.region, c.actor, c.source_ip,
       c.region || ':' || {_INSTANCE_TYPE} AS resource, c.event_id AS evidence,
       'RunInstances ' || {_INSTANCE_TYPE} || ' x' || coalesce(json_extract_string(c.request_parameters,
       '$.instancesSet.items[0].maxCount'), '1') AS detail, NULL AS target
FROM cloudtrail c
WHERE c.error_code IS NULL AND c.event_source = 'ec2.amazonaws.com' AND c.event_name = 'RunInstances'
  AND regexp_matches(coalesce({_INSTANCE_TYPE}, ''), {GPU_TYPES})
  AND NOT EXISTS (SELECT 1 FROM env_regions e WHERE e.region = c.region)
  -- the account's history (ct_account_regions: its first record per region) is over a day old there
  AND EXISTS (SELECT 1 FROM ct_account_regions h WHERE h.account = c.account
              AND h.first_time < c.time - INTERVAL 1 DAY)
  AND NOT EXISTS (SELECT 1 FROM ct_account_regions h WHERE h.account = c.account AND h.region = c.region
                  AND h.first_time < c.time - INTERVAL 1 DAY)
""",
    rationale="Crypto-miners launch the biggest GPU instances they can, in regions nobody watches. A region "
    "with no earlier activity in the account's history (or not listed under regions in --environment) "
    "is such a place.",
    remediation="Terminate the instances, revoke the credentials used, and deny unused regions with an SCP "
    "(aws:RequestedRegion).",
    attack=_HIJACK,
    guardduty="Impact:IAMUser/AnomalousBehavior",
    resource_type="AwsEc2Instance",
    category="impact",
    event_names=("RunInstances",),
)

rule(
    id="ec2_instance_launch_burst",
    title="Burst of instance launches by one principal",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=burst_sql(
        "error_code IS NULL AND event_source = 'ec2.amazonaws.com' AND event_name = 'RunInstances'",
        threshold=10,
        names=("RunInstances",),
        resource="region || ':' || json_extract_string(request_parameters, '$.instanceType')",
        detail="'RunInstances ' || json_extract_string(request_parameters, '$.instanceType')",
    ),
    rationale="Ten or more launches by one principal in an hour, outside autoscaling, is how stolen keys "
    "are turned into mining capacity.",
    remediation="Check the instances and their owner; terminate unknown ones and lower EC2 service quotas.",
    attack=_HIJACK,
    guardduty="Impact:IAMUser/AnomalousBehavior",
    resource_type="AwsEc2Instance",
    category="impact",
)

rule(
    id="backup_deletion_burst",
    title="Burst of snapshot or backup deletions",
    severity=Severity.MEDIUM,
    source="cloudtrail",
    sql=burst_sql(
        "error_code IS NULL AND event_name IN ('DeleteSnapshot', 'DeleteDBSnapshot', "
        "'DeleteDBClusterSnapshot', "
        "'DeleteRecoveryPoint', 'DeleteBackupVault')",
        threshold=10,
        names=(
            "DeleteSnapshot",
            "DeleteDBSnapshot",
            "DeleteDBClusterSnapshot",
            "DeleteRecoveryPoint",
            "DeleteBackupVault",
        ),
    ),
    rationale="Deleting many snapshots or recovery points removes the way back before an attack on the data.",
    remediation="Stop the principal; protect backups with AWS Backup Vault Lock and a separate account.",
    attack=Attack("T1490", "Inhibit System Recovery", "TA0040"),
    resource_type="AwsBackup",
    category="impact",
)

rule(
    id="ec2_ebs_default_encryption_disabled",
    title="EBS encryption by default disabled",
    severity=Severity.LOW,
    source="cloudtrail",
    sql=api_sql("ec2.amazonaws.com", ("DisableEbsEncryptionByDefault",), resource="'ebs:' || region"),
    rationale="New volumes and snapshot copies will be created unencrypted, easier to share and copy out.",
    remediation="Re-enable EBS encryption by default in every region.",
    attack=Attack("T1562", "Impair Defenses", "TA0005"),
    resource_type="AwsAccount",
    category="defense-evasion",
)
