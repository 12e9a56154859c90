"""The geo/ASN part of the labelled dataset: the ``--asn-db`` CSV, a scenario and a trap.

Every address the dataset uses is in the CSV: the office ISP, AWS, the attackers' hosting, a hotel
network abroad (the scenario), a home fibre ISP over IPv6 (the trap).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from soryoku.detect.simulate.dataset import CONSOLE_AGENT, Logs, alice
from soryoku.detect.simulate.events import console_login, ct, iam_user

TRAVEL_IP = "192.0.2.200"  # a hotel network in another country
HOME_IPV6 = "2001:db8:b::10"  # a home fibre line, same country as the office
OFFICE_IPV6 = "2001:db8:a::20"

ASN_CSV = """prefix,asn,org,country
203.0.113.0/24,64500,Example Office ISP,IE
2001:db8:a::/48,64500,Example Office ISP,IE
2001:db8:b::/48,64502,Home Fibre,IE
3.80.0.0/12,16509,AMAZON-02,US
52.94.0.0/16,16509,AMAZON-02,US
54.240.0.0/12,16509,AMAZON-02,US
198.51.100.0/24,64666,Bulletproof Hosting,RU
198.51.100.64/26,64667,Cheap VPS,NL
192.0.2.0/24,64510,Hotel Wi-Fi,BR
185.220.101.0/24,64700,Tor exit relays,DE
"""

carol = iam_user("carol", "AKIACAROL0000000001", mfa=True)


def login_from_new_country(at: datetime) -> Logs:
    """Alice's console password and MFA are phished: a sign-in from a country she never worked from."""
    return Logs(
        cloudtrail=[
            console_login(alice, at, mfa=True, ip=TRAVEL_IP),
            ct(alice, "s3", "ListBuckets", at + timedelta(minutes=1), ip=TRAVEL_IP, agent=CONSOLE_AGENT),
        ]
    )


def new_hire_new_network(at: datetime) -> Logs:
    """A contractor who started three days ago works from home (a new ASN) inside her learning week."""
    start = at - timedelta(days=3)
    return Logs(
        cloudtrail=[
            ct(carol, "ec2", "DescribeInstances", start, ip=OFFICE_IPV6),
            ct(carol, "ec2", "DescribeInstances", at, ip=HOME_IPV6),
        ]
    )


__all__ = ["ASN_CSV", "HOME_IPV6", "TRAVEL_IP", "login_from_new_country", "new_hire_new_network"]
