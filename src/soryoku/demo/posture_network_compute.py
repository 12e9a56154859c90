"""The demo story's network and compute layer: FAIL/PASS twins for EC2 networking, storage, images,
launch templates, interfaces, Systems Manager documents, load balancers and their TLS listeners, ECS
clusters and services, and Auto Scaling.

The base story's resources meet the new checks too. What they show is kept when it is a genuine
misconfiguration of a quickly built estate (declared below with the reason); the second region
(us-west-2) is the well-kept one: its default VPC gets flow logs, an EC2 endpoint and an emptied
default security group, the compliant twins of us-east-1's defaults. Default subnets stop
auto-assigning public IPs in both regions (the instances launched before keep theirs).
"""

from __future__ import annotations

import json
from typing import Any

import boto3

from soryoku.demo.scenario import PRIMARY_REGION, SECOND_REGION, DemoEstate

DEFAULT_NACL = "default-nacl-{region}"
RDP_NACL = "rdp-open-nacl"
RESTRICTED_NACL = "restricted-nacl"
PUBLIC_SUBNET = "public-subnet"
PRIVATE_SUBNET = "private-subnet"
PUBLIC_SNAPSHOT = "public-snapshot"
PRIVATE_SNAPSHOT = "private-snapshot"
PUBLIC_AMI = "web-golden-public"
PRIVATE_AMI = "app-golden"
OPEN_TEMPLATE = "web-lt"
GOOD_TEMPLATE = "app-lt"
OPEN_TGW = "shared-tgw"
CLOSED_TGW = "core-tgw"
PUBLIC_DOCUMENT = "public-runbook"
TEAM_DOCUMENT = "team-runbook"
OPEN_ALB = "web-alb"
GOOD_ALB = "api-alb"
LEGACY_CLB = "legacy-clb"
LEGACY_LC = "legacy-lc"
LEGACY_ASG = "legacy-asg"
GOOD_ASG = "web-asg"
TLS_NLB = "api-nlb"
NAT_ENI = "nat-instance-eni"
APP_ENI = "app-eni"
INSIGHTS_CLUSTER = "soryoku-demo-web"
BLIND_CLUSTER = "soryoku-demo-batch"
PUBLIC_SERVICE = "web-public"
PRIVATE_SERVICE = "web-private"
CANARY_SERVICE = "web-canary"
LOGGED_TASK = "soryoku-demo-web"
INTERFACE_ENDPOINTS = (
    "vpc_endpoint_for_ecr_api_enabled",
    "vpc_endpoint_for_ecr_dkr_enabled",
    "vpc_endpoint_for_ssm_enabled",
    "vpc_endpoint_for_ssm_contacts_enabled",
    "vpc_endpoint_for_ssm_incidents_enabled",
)
RECOMMENDED_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
PRIMARY_ARN = f"ec2:{PRIMARY_REGION}:"
SECOND_ARN = f"ec2:{SECOND_REGION}:"

_NACL_FAILS = (
    DEFAULT_NACL.format(region=PRIMARY_REGION),
    DEFAULT_NACL.format(region=SECOND_REGION),
    RDP_NACL,
)

EXPECTED_FAILS: set[tuple[str, str]] = {
    # AWS's default network ACLs allow all inbound traffic from 0.0.0.0/0, so by EC2.21 / CIS 5.1's
    # own definition they fail in both regions; the security groups do the filtering here.
    *(("ec2_networkacl_allow_ingress_admin_ports_from_internet", name) for name in _NACL_FAILS),
    *(("ec2_networkacl_allow_ingress_admin_ports_from_ipv4_internet", name) for name in _NACL_FAILS),
    # us-east-1's default VPC is left as AWS creates it: no flow logs, no EC2 endpoint, and a
    # default security group that allows all outbound traffic (genuine, the twins are in us-west-2).
    ("vpc_flow_logs_enabled", PRIMARY_ARN),
    ("vpc_endpoint_for_ec2_enabled", PRIMARY_ARN),
    ("ec2_securitygroup_default_restrict_traffic", PRIMARY_ARN),
    ("vpc_subnet_no_public_ip_by_default", PUBLIC_SUBNET),
    # ... nor interface endpoints for ECR and Systems Manager (EC2.55-EC2.60).
    *((check_id, PRIMARY_ARN) for check_id in INTERFACE_ENDPOINTS),
    # The story's web-sg opens SSH and legacy-rdp-sg opens RDP to the internet: beyond 80/443 (EC2.18)
    # and high-risk ports (EC2.19); the RDP group is attached to nothing (EC2.22).
    ("ec2_securitygroup_allow_ingress_from_internet_to_authorized_ports_only", "web-sg"),
    ("ec2_securitygroup_allow_ingress_from_internet_to_authorized_ports_only", "legacy-rdp-sg"),
    ("ec2_securitygroup_ingress_high_risk_ports_open_to_internet", "web-sg"),
    ("ec2_securitygroup_ingress_high_risk_ports_open_to_internet", "legacy-rdp-sg"),
    ("ec2_securitygroup_not_used", "legacy-rdp-sg"),
    # web-1 is administered over SSH open to the world, and Systems Manager cannot confirm it is
    # managed (the simulated account has no SSM inventory: SSM.1 itself is NOT_EVALUATED).
    ("ec2_instance_admin_port_open_without_session_manager", "web-1"),
    # Both story instances were launched into default subnets that auto-assigned public IPv4s.
    ("ec2_instance_public_ip", "web-1"),
    ("ec2_instance_public_ip", "app-1"),
    # Their root volumes were created before EBS default encryption was considered.
    ("ec2_ebs_attached_volume_encrypted", "web-1-root"),
    ("ec2_ebs_attached_volume_encrypted", "app-1-root"),
    ("ec2_ebs_snapshot_not_public", PUBLIC_SNAPSHOT),
    ("ec2_ami_not_public", PUBLIC_AMI),
    ("ec2_launch_template_no_public_ip", OPEN_TEMPLATE),
    ("ec2_launch_template_imdsv2_required", OPEN_TEMPLATE),
    ("ec2_transitgateway_auto_accept_vpc_attachments", OPEN_TGW),
    ("ssm_document_not_public", PUBLIC_DOCUMENT),
    ("elbv2_alb_http_redirects_to_https", OPEN_ALB),
    ("elbv2_alb_drop_invalid_header_fields", OPEN_ALB),
    ("elbv2_alb_logging_enabled", OPEN_ALB),
    ("elbv2_deletion_protection_enabled", OPEN_ALB),
    ("elb_listeners_encrypted", LEGACY_CLB),
    ("elb_logging_enabled", LEGACY_CLB),
    ("autoscaling_launch_configuration_imdsv2_required", LEGACY_LC),
    ("autoscaling_group_elb_health_check", LEGACY_ASG),
    ("autoscaling_group_multiple_instance_types", LEGACY_ASG),
    ("autoscaling_group_uses_launch_template", LEGACY_ASG),
    ("ec2_launch_template_ebs_encrypted", OPEN_TEMPLATE),
    ("ec2_network_interface_source_dest_check_enabled", NAT_ENI),
    # web-alb's HTTPS listener keeps the 2016 TLS policy (ELB.17); both ALBs keep an HTTP listener on
    # port 80 (web-alb forwards, api-alb redirects): ELB.18 fails any ALB listener that is not HTTPS.
    ("elbv2_listener_recommended_tls_policy", OPEN_ALB),
    ("elbv2_listener_secure_protocol", OPEN_ALB),
    ("elbv2_listener_secure_protocol", GOOD_ALB),
    ("ecs_cluster_container_insights_enabled", BLIND_CLUSTER),
    ("ecs_service_no_public_ip", PUBLIC_SERVICE),
    ("ecs_fargate_service_latest_platform_version", PUBLIC_SERVICE),
    ("ecs_task_set_no_public_ip", CANARY_SERVICE),
    # The apps layer's two task definitions set no logConfiguration on their containers (ECS.9).
    ("ecs_task_definition_logging_configured", "task-definition/soryoku-demo-privileged"),
    ("ecs_task_definition_logging_configured", "task-definition/soryoku-demo-hardened"),
}

EXPECTED_PASSES: set[tuple[str, str]] = {
    ("ec2_networkacl_allow_ingress_admin_ports_from_internet", RESTRICTED_NACL),
    ("ec2_networkacl_allow_ingress_admin_ports_from_ipv4_internet", RESTRICTED_NACL),
    ("ec2_networkacl_unused", RESTRICTED_NACL),
    ("vpc_flow_logs_enabled", SECOND_ARN),
    ("vpc_endpoint_for_ec2_enabled", SECOND_ARN),
    ("ec2_securitygroup_default_restrict_traffic", SECOND_ARN),
    ("vpc_subnet_no_public_ip_by_default", PRIVATE_SUBNET),
    ("ec2_securitygroup_allow_ingress_from_internet_to_authorized_ports_only", "app-sg"),
    ("ec2_securitygroup_ingress_high_risk_ports_open_to_internet", "app-sg"),
    ("ec2_securitygroup_ingress_database_ports_open_to_internet", "app-sg"),
    ("ec2_securitygroup_not_used", "app-sg"),
    ("ec2_instance_admin_port_open_without_session_manager", "app-1"),
    ("ec2_instance_multiple_enis", "web-1"),
    ("ec2_instance_paravirtual_type", "web-1"),
    ("ec2_instance_stopped_too_long", "app-1"),
    ("ec2_ebs_attached_volume_encrypted", "app-1-data"),
    ("ec2_ebs_snapshot_not_public", PRIVATE_SNAPSHOT),
    ("ec2_ami_not_public", PRIVATE_AMI),
    ("ec2_launch_template_no_public_ip", GOOD_TEMPLATE),
    ("ec2_launch_template_imdsv2_required", GOOD_TEMPLATE),
    ("ec2_transitgateway_auto_accept_vpc_attachments", CLOSED_TGW),
    ("ssm_document_not_public", TEAM_DOCUMENT),
    ("elbv2_alb_http_redirects_to_https", GOOD_ALB),
    ("elbv2_alb_drop_invalid_header_fields", GOOD_ALB),
    ("elbv2_alb_logging_enabled", GOOD_ALB),
    ("elbv2_deletion_protection_enabled", GOOD_ALB),
    ("elbv2_alb_desync_mitigation_mode", OPEN_ALB),
    ("elbv2_multiple_availability_zones", OPEN_ALB),
    ("elb_connection_draining_enabled", LEGACY_CLB),
    ("elb_cross_zone_load_balancing_enabled", LEGACY_CLB),
    ("elb_multiple_availability_zones", LEGACY_CLB),
    ("elb_desync_mitigation_mode", LEGACY_CLB),
    ("autoscaling_launch_configuration_no_public_ip", LEGACY_LC),
    ("autoscaling_group_multiple_availability_zones", LEGACY_ASG),
    ("autoscaling_group_elb_health_check", GOOD_ASG),
    ("autoscaling_group_multiple_instance_types", GOOD_ASG),
    ("autoscaling_group_uses_launch_template", GOOD_ASG),
    *((check_id, SECOND_ARN) for check_id in INTERFACE_ENDPOINTS),
    ("ec2_launch_template_ebs_encrypted", GOOD_TEMPLATE),
    ("ec2_network_interface_source_dest_check_enabled", APP_ENI),
    ("elbv2_listener_recommended_tls_policy", GOOD_ALB),
    ("elbv2_listener_recommended_tls_policy", TLS_NLB),
    ("elbv2_listener_secure_protocol", TLS_NLB),
    ("ecs_cluster_container_insights_enabled", INSIGHTS_CLUSTER),
    ("ecs_service_no_public_ip", PRIVATE_SERVICE),
    ("ecs_fargate_service_latest_platform_version", PRIVATE_SERVICE),
    ("ecs_task_definition_logging_configured", f"task-definition/{LOGGED_TASK}"),
}


def _client(service: str, region: str = PRIMARY_REGION) -> Any:
    return boto3.client(service, region_name=region)


def _name(ec2: Any, resource_id: str, name: str) -> None:
    ec2.create_tags(Resources=[resource_id], Tags=[{"Key": "Name", "Value": name}])


def _default_vpc(ec2: Any) -> str:
    return str(ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"])


def _tidy_defaults(region: str) -> tuple[str, list[str]]:
    """Name the default NACL and stop default subnets from auto-assigning public IPs."""
    ec2 = _client("ec2", region)
    vpc = _default_vpc(ec2)
    acl = ec2.describe_network_acls(Filters=[{"Name": "default", "Values": ["true"]}])["NetworkAcls"][0]
    _name(ec2, acl["NetworkAclId"], DEFAULT_NACL.format(region=region))
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    for subnet in subnets:
        ec2.modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": False})
    return vpc, sorted(s["SubnetId"] for s in subnets)


def _well_kept_second_region() -> None:
    ec2 = _client("ec2", SECOND_REGION)
    vpc = _default_vpc(ec2)
    ec2.create_flow_logs(
        ResourceIds=[vpc],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogGroupName="soryoku-demo-vpc-flow-logs",
        DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/soryoku-demo-flow-logs",
    )
    for service in ("ec2", "ecr.api", "ecr.dkr", "ssm", "ssm-contacts", "ssm-incidents"):
        ec2.create_vpc_endpoint(
            VpcId=vpc, ServiceName=f"com.amazonaws.{SECOND_REGION}.{service}", VpcEndpointType="Interface"
        )
    group = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    if group.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(GroupId=group["GroupId"], IpPermissions=group["IpPermissionsEgress"])
    if group.get("IpPermissions"):
        ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=group["IpPermissions"])


def _subnets_and_nacls(ec2: Any, vpc: str) -> None:
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.200.0/24", AvailabilityZone=f"{PRIMARY_REGION}a")
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.201.0/24", AvailabilityZone=f"{PRIMARY_REGION}b")
    public_id, private_id = public["Subnet"]["SubnetId"], private["Subnet"]["SubnetId"]
    _name(ec2, public_id, PUBLIC_SUBNET)
    _name(ec2, private_id, PRIVATE_SUBNET)
    ec2.modify_subnet_attribute(SubnetId=public_id, MapPublicIpOnLaunch={"Value": True})
    rules = {
        RDP_NACL: [(100, "0.0.0.0/0", 3389), (110, "0.0.0.0/0", 443)],
        RESTRICTED_NACL: [(100, "0.0.0.0/0", 443), (110, "10.0.0.0/8", 22)],
    }
    for name, subnet in ((RDP_NACL, public_id), (RESTRICTED_NACL, private_id)):
        acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
        _name(ec2, acl, name)
        for number, cidr, port in rules[name]:
            ec2.create_network_acl_entry(
                NetworkAclId=acl,
                RuleNumber=number,
                Protocol="6",
                RuleAction="allow",
                Egress=False,
                CidrBlock=cidr,
                PortRange={"From": port, "To": port},
            )
        association = next(
            a["NetworkAclAssociationId"]
            for a in ec2.describe_network_acls(
                Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
            )["NetworkAcls"][0]["Associations"]
            if a["SubnetId"] == subnet
        )
        ec2.replace_network_acl_association(AssociationId=association, NetworkAclId=acl)


def _storage_and_images(ec2: Any, estate: DemoEstate) -> None:
    web, app = estate.resources["web_instance"], estate.resources["app_instance"]
    for instance, name in ((web, "web-1-root"), (app, "app-1-root")):
        volumes = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [instance]}])[
            "Volumes"
        ]
        for volume in volumes:
            _name(ec2, volume["VolumeId"], name)
    data = ec2.create_volume(
        AvailabilityZone=f"{PRIMARY_REGION}a",
        Size=1,
        Encrypted=True,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "app-1-data"}]}],
    )["VolumeId"]
    ec2.attach_volume(VolumeId=data, InstanceId=app, Device="/dev/sdf")
    for name in (PUBLIC_SNAPSHOT, PRIVATE_SNAPSHOT):
        snapshot = ec2.create_snapshot(
            VolumeId=data,
            TagSpecifications=[{"ResourceType": "snapshot", "Tags": [{"Key": "Name", "Value": name}]}],
        )["SnapshotId"]
        if name == PUBLIC_SNAPSHOT:
            ec2.modify_snapshot_attribute(
                SnapshotId=snapshot,
                Attribute="createVolumePermission",
                OperationType="add",
                GroupNames=["all"],
            )
    for name, instance in ((PUBLIC_AMI, web), (PRIVATE_AMI, app)):
        image = ec2.create_image(InstanceId=instance, Name=name)["ImageId"]
        if name == PUBLIC_AMI:
            ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"Group": "all"}]})


def _templates_and_gateways(ec2: Any) -> None:
    ec2.create_launch_template(
        LaunchTemplateName=OPEN_TEMPLATE,
        LaunchTemplateData={
            "ImageId": "ami-03cf127a",
            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": True}],
            "MetadataOptions": {"HttpTokens": "optional", "HttpEndpoint": "enabled"},
            "BlockDeviceMappings": [
                {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": False}}
            ],
        },
    )
    ec2.create_launch_template(
        LaunchTemplateName=GOOD_TEMPLATE,
        LaunchTemplateData={
            "ImageId": "ami-03cf127a",
            "MetadataOptions": {"HttpTokens": "required", "HttpEndpoint": "enabled"},
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True}}],
        },
    )
    for name, accept in ((OPEN_TGW, "enable"), (CLOSED_TGW, "disable")):
        ec2.create_transit_gateway(
            Options={"AutoAcceptSharedAttachments": accept},
            TagSpecifications=[{"ResourceType": "transit-gateway", "Tags": [{"Key": "Name", "Value": name}]}],
        )


def _documents() -> None:
    ssm = _client("ssm")
    content = json.dumps(
        {
            "schemaVersion": "2.2",
            "description": "Restart the web application",
            "mainSteps": [
                {
                    "action": "aws:runShellScript",
                    "name": "restart",
                    "inputs": {"runCommand": ["systemctl restart web"]},
                }
            ],
        }
    )
    for name in (PUBLIC_DOCUMENT, TEAM_DOCUMENT):
        ssm.create_document(Content=content, Name=name, DocumentType="Command")
    ssm.modify_document_permission(Name=PUBLIC_DOCUMENT, PermissionType="Share", AccountIdsToAdd=["all"])
    ssm.modify_document_permission(
        Name=TEAM_DOCUMENT, PermissionType="Share", AccountIdsToAdd=["111122223333"]
    )


def _load_balancers(vpc: str, subnets: list[str], group: str) -> str:
    elbv2, elb = _client("elbv2"), _client("elb")
    target_group = elbv2.create_target_group(Name="web-tg", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    web = elbv2.create_load_balancer(Name=OPEN_ALB, Subnets=subnets[:2])["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    elbv2.create_listener(
        LoadBalancerArn=web,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}],
    )
    api = elbv2.create_load_balancer(Name=GOOD_ALB, Subnets=subnets[:2])["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    elbv2.create_listener(
        LoadBalancerArn=api,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {
                "Type": "redirect",
                "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
            }
        ],
    )
    # The simulated account does not check that the log bucket exists; a real one needs a bucket
    # policy that lets Elastic Load Balancing deliver logs.
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=api,
        Attributes=[
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
            {"Key": "deletion_protection.enabled", "Value": "true"},
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": "soryoku-demo-alb-logs"},
        ],
    )
    elb.create_load_balancer(
        LoadBalancerName=LEGACY_CLB,
        Listeners=[
            {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 80}
        ],
        AvailabilityZones=[f"{PRIMARY_REGION}a", f"{PRIMARY_REGION}b"],
        SecurityGroups=[group],
    )
    elb.modify_load_balancer_attributes(
        LoadBalancerName=LEGACY_CLB,
        LoadBalancerAttributes={
            "CrossZoneLoadBalancing": {"Enabled": True},
            "ConnectionDraining": {"Enabled": True, "Timeout": 300},
        },
    )
    return str(target_group)


def _auto_scaling(subnets: list[str], target_group: str) -> None:
    autoscaling = _client("autoscaling")
    autoscaling.create_launch_configuration(
        LaunchConfigurationName=LEGACY_LC,
        ImageId="ami-03cf127a",
        InstanceType="t3.micro",
        AssociatePublicIpAddress=False,
        MetadataOptions={"HttpTokens": "optional", "HttpEndpoint": "enabled"},
    )
    # No instances (desired capacity 0): the groups are judged by configuration alone.
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=LEGACY_ASG,
        LaunchConfigurationName=LEGACY_LC,
        MinSize=0,
        MaxSize=2,
        DesiredCapacity=0,
        AvailabilityZones=[f"{PRIMARY_REGION}a", f"{PRIMARY_REGION}b"],
        LoadBalancerNames=[LEGACY_CLB],
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=GOOD_ASG,
        MinSize=0,
        MaxSize=4,
        DesiredCapacity=0,
        VPCZoneIdentifier=",".join(subnets[:2]),
        HealthCheckType="ELB",
        HealthCheckGracePeriod=300,
        TargetGroupARNs=[target_group],
        MixedInstancesPolicy={
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateName": GOOD_TEMPLATE, "Version": "$Default"},
                "Overrides": [{"InstanceType": "t3.micro"}, {"InstanceType": "t3a.micro"}],
            }
        },
    )


def _tls_listeners(vpc: str, subnets: list[str], target_group: str) -> None:
    """HTTPS on both ALBs (web-alb with the 2016 policy, api-alb with a TLS 1.3 one) and a TLS-only NLB."""
    elbv2 = _client("elbv2")
    # The simulated account issues the certificate at once; a real one validates the domain first.
    certificate = _client("acm").request_certificate(DomainName="api.soryoku-demo.example")["CertificateArn"]
    arns = {
        lb["LoadBalancerName"]: lb["LoadBalancerArn"]
        for lb in elbv2.describe_load_balancers(Names=[OPEN_ALB, GOOD_ALB])["LoadBalancers"]
    }
    for name, policy in ((OPEN_ALB, "ELBSecurityPolicy-2016-08"), (GOOD_ALB, RECOMMENDED_POLICY)):
        elbv2.create_listener(
            LoadBalancerArn=arns[name],
            Protocol="HTTPS",
            Port=443,
            Certificates=[{"CertificateArn": certificate}],
            SslPolicy=policy,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group}],
        )
    nlb = elbv2.create_load_balancer(Name=TLS_NLB, Subnets=subnets[:2], Type="network")["LoadBalancers"][0][
        "LoadBalancerArn"
    ]
    tcp_group = elbv2.create_target_group(Name="api-tcp", Protocol="TCP", Port=443, VpcId=vpc)[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    elbv2.modify_load_balancer_attributes(
        LoadBalancerArn=nlb, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}]
    )
    elbv2.create_listener(
        LoadBalancerArn=nlb,
        Protocol="TLS",
        Port=443,
        Certificates=[{"CertificateArn": certificate}],
        SslPolicy=RECOMMENDED_POLICY,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tcp_group}],
    )


def _interfaces(ec2: Any, subnet: str) -> None:
    """A NAT-instance interface with source/destination checking off, and an ordinary twin."""
    for name, check in ((NAT_ENI, False), (APP_ENI, True)):
        eni = ec2.create_network_interface(SubnetId=subnet, Description=name)["NetworkInterface"]
        _name(ec2, eni["NetworkInterfaceId"], name)
        if not check:
            ec2.modify_network_interface_attribute(
                NetworkInterfaceId=eni["NetworkInterfaceId"], SourceDestCheck={"Value": False}
            )


def _containers(subnet: str, group: str) -> None:
    """ECS clusters with and without Container Insights; Fargate services public on an old platform
    and private on the latest; an externally deployed service whose task set takes public IPs."""
    ecs = _client("ecs")
    ecs.create_cluster(
        clusterName=INSIGHTS_CLUSTER, settings=[{"name": "containerInsights", "value": "enabled"}]
    )
    ecs.create_cluster(clusterName=BLIND_CLUSTER)
    ecs.register_task_definition(
        family=LOGGED_TASK,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "web",
                "image": "public.ecr.aws/nginx/nginx:stable",
                "user": "1000",
                "readonlyRootFilesystem": True,
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": "/ecs/soryoku-demo-web", "awslogs-region": PRIMARY_REGION},
                },
            }
        ],
    )

    def network(public: bool) -> dict[str, Any]:
        mode = "ENABLED" if public else "DISABLED"
        return {
            "awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": mode}
        }

    for name, public, platform in ((PUBLIC_SERVICE, True, "1.3.0"), (PRIVATE_SERVICE, False, "LATEST")):
        ecs.create_service(
            cluster=INSIGHTS_CLUSTER,
            serviceName=name,
            taskDefinition=LOGGED_TASK,
            desiredCount=0,
            launchType="FARGATE",
            platformVersion=platform,
            networkConfiguration=network(public),
        )
    ecs.create_service(
        cluster=INSIGHTS_CLUSTER,
        serviceName=CANARY_SERVICE,
        taskDefinition=LOGGED_TASK,
        desiredCount=0,
        deploymentController={"type": "EXTERNAL"},
    )
    ecs.create_task_set(
        cluster=INSIGHTS_CLUSTER,
        service=CANARY_SERVICE,
        taskDefinition=LOGGED_TASK,
        networkConfiguration=network(True),
    )


def seed(estate: DemoEstate) -> None:
    """Add the network and compute twins to the demo account (us-east-1, plus us-west-2's defaults)."""
    ec2 = _client("ec2")
    vpc, default_subnets = _tidy_defaults(PRIMARY_REGION)
    _tidy_defaults(SECOND_REGION)
    _well_kept_second_region()
    _subnets_and_nacls(ec2, vpc)
    _storage_and_images(ec2, estate)
    _templates_and_gateways(ec2)
    _documents()
    target_group = _load_balancers(vpc, default_subnets, estate.resources["app_sg"])
    _tls_listeners(vpc, default_subnets, target_group)
    _interfaces(ec2, default_subnets[0])
    _containers(default_subnets[0], estate.resources["app_sg"])
    _auto_scaling(default_subnets, target_group)


__all__ = ["EXPECTED_FAILS", "EXPECTED_PASSES", "seed"]
