"""``--environment``: what the estate looks like, so expected activity is not reported as a threat.

YAML or JSON::

    accounts: ["111111111111", "222222222222"]      # the organization's own accounts
    trusted_accounts: ["999999999999"]              # partners allowed in trust policies and shares
    regions: ["eu-west-1", "us-east-1"]             # regions in use (others are "unused")
    egress_ips: ["203.0.113.7"]                     # the estate's own public addresses (EIPs, NAT)
    automation_principals:                          # scanners/pipelines whose enumeration is routine
      - arn:aws:sts::111111111111:assumed-role/SecurityAudit/scanner
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from soryoku.core.errors import ConfigError


class Environment(BaseModel):
    """The estate's shape; every list may be empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    accounts: tuple[str, ...] = ()
    trusted_accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    egress_ips: tuple[str, ...] = ()
    automation_principals: tuple[str, ...] = Field(default=())

    @field_validator("accounts", "trusted_accounts")
    @classmethod
    def _account_ids(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            if not (len(value) == 12 and value.isdigit()):
                raise ValueError(f"{value!r} is not a 12-digit AWS account id")
        return values

    @field_validator("egress_ips")
    @classmethod
    def _addresses(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            try:
                ipaddress.ip_address(value)
            except ValueError:
                raise ValueError(f"{value!r} is not an IP address") from None
        return values

    @property
    def known_accounts(self) -> tuple[str, ...]:
        """Own and trusted accounts: sharing with or trusting them is expected."""
        return self.accounts + self.trusted_accounts


def load_environment(path: Path) -> Environment:
    """Read and validate an environment file."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, json.JSONDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"--environment {str(path)!r}: unreadable ({error})") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"--environment {str(path)!r}: expected a mapping of accounts/regions/…")
    data = {k: [str(v) for v in vs] if isinstance(vs, list) else vs for k, vs in data.items()}
    try:
        return Environment.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"--environment {str(path)!r}: {where}: {first['msg']}") from error
