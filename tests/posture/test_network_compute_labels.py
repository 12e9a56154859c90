"""Framework labels of the network-compute checks, each pair checked against AWS's Security Hub control
reference (FSBP: id, title, severity) and the CIS AWS Foundations Benchmark v3.0.0 text."""

from __future__ import annotations

import pytest

from soryoku.posture.compliance.frameworks import standards_and_requirements
from soryoku.posture.registry import CHECKS

from .test_labels_postnet import EXPECTED_LABELS as POSTNET_LABELS

EXPECTED_LABELS = {
    "ec2_ebs_snapshot_not_public": {"AWS-FSBP/EC2.1"},
    "ec2_securitygroup_default_restrict_traffic": {"AWS-FSBP/EC2.2", "CIS-AWS-3.0/5.4"},
    "ec2_ebs_attached_volume_encrypted": {"AWS-FSBP/EC2.3"},
    "ec2_instance_stopped_too_long": {"AWS-FSBP/EC2.4"},
    "vpc_flow_logs_enabled": {"AWS-FSBP/EC2.6", "CIS-AWS-3.0/3.7"},
    "ec2_instance_public_ip": {"AWS-FSBP/EC2.9"},
    "vpc_endpoint_for_ec2_enabled": {"AWS-FSBP/EC2.10"},
    "vpc_subnet_no_public_ip_by_default": {"AWS-FSBP/EC2.15"},
    "ec2_networkacl_unused": {"AWS-FSBP/EC2.16"},
    "ec2_instance_multiple_enis": {"AWS-FSBP/EC2.17"},
    "ec2_securitygroup_allow_ingress_from_internet_to_authorized_ports_only": {"AWS-FSBP/EC2.18"},
    "ec2_securitygroup_ingress_high_risk_ports_open_to_internet": {"AWS-FSBP/EC2.19"},
    "ec2_vpn_connection_both_tunnels_up": {"AWS-FSBP/EC2.20"},
    "ec2_networkacl_allow_ingress_admin_ports_from_internet": {"AWS-FSBP/EC2.21"},
    "ec2_networkacl_allow_ingress_admin_ports_from_ipv4_internet": {"CIS-AWS-3.0/5.1"},
    "ec2_securitygroup_not_used": set(),  # EC2.22 is not in the FSBP standard
    "ec2_transitgateway_auto_accept_vpc_attachments": {"AWS-FSBP/EC2.23"},
    "ec2_instance_paravirtual_type": {"AWS-FSBP/EC2.24"},
    "ec2_launch_template_no_public_ip": {"AWS-FSBP/EC2.25"},
    "ssm_managed_ec2_instance": {"AWS-FSBP/SSM.1"},
    "ssm_document_not_public": {"AWS-FSBP/SSM.4"},
    "elbv2_alb_http_redirects_to_https": {"AWS-FSBP/ELB.1"},
    "elb_ssl_listeners_use_acm_certificate": {"AWS-FSBP/ELB.2"},
    "elb_listeners_encrypted": {"AWS-FSBP/ELB.3"},
    "elbv2_alb_drop_invalid_header_fields": {"AWS-FSBP/ELB.4"},
    "elb_logging_enabled": {"AWS-FSBP/ELB.5"},
    "elbv2_alb_logging_enabled": {"AWS-FSBP/ELB.5"},
    "elbv2_deletion_protection_enabled": {"AWS-FSBP/ELB.6"},
    "elb_connection_draining_enabled": {"AWS-FSBP/ELB.7"},
    "elb_ssl_listeners_strong_security_policy": {"AWS-FSBP/ELB.8"},
    "elb_cross_zone_load_balancing_enabled": {"AWS-FSBP/ELB.9"},
    "elb_multiple_availability_zones": {"AWS-FSBP/ELB.10"},
    "elbv2_alb_desync_mitigation_mode": {"AWS-FSBP/ELB.12"},
    "elbv2_multiple_availability_zones": {"AWS-FSBP/ELB.13"},
    "elb_desync_mitigation_mode": {"AWS-FSBP/ELB.14"},
    "autoscaling_group_elb_health_check": {"AWS-FSBP/AutoScaling.1"},
    "autoscaling_group_multiple_availability_zones": {"AWS-FSBP/AutoScaling.2"},
    "autoscaling_launch_configuration_imdsv2_required": {"AWS-FSBP/AutoScaling.3"},
    "autoscaling_launch_configuration_no_public_ip": {"AWS-FSBP/AutoScaling.5"},
    "autoscaling_group_multiple_instance_types": {"AWS-FSBP/AutoScaling.6"},
    "autoscaling_group_uses_launch_template": {"AWS-FSBP/AutoScaling.9"},
    # No verified control to claim: reported without a framework label.
    "ec2_instance_admin_port_open_without_session_manager": set(),
    "ec2_securitygroup_ingress_database_ports_open_to_internet": set(),
    "ec2_ami_not_public": set(),
    "ec2_ebs_snapshot_block_public_access_enabled": set(),
    "ec2_ami_block_public_access_enabled": set(),
}


@pytest.mark.parametrize("check_id", sorted(EXPECTED_LABELS))
def test_framework_labels_per_control(check_id: str) -> None:
    assert check_id in CHECKS
    _, requirements = standards_and_requirements(check_id)
    assert set(requirements) == EXPECTED_LABELS[check_id]


def test_every_check_of_the_group_is_labelled_here() -> None:
    modules = {"ec2_network", "ec2_instances", "ec2_storage", "ssm", "elb", "elbv2", "autoscaling"}
    ours = {c.id for c in CHECKS if c.module.rsplit(".", 1)[1] in modules}
    assert ours == set(EXPECTED_LABELS) | (ours & set(POSTNET_LABELS))
