"""Stack configuration: environment suffix, regions, migration direction flags and tunables.

Everything the program builds is derived from one immutable MigrationConfig, read from Pulumi
config (namespace `payment-migration`). The two direction flags decide what is built:
  enableForwardMigration  on-premises -> Aurora full load + CDC task, traffic shift and cutover
  enableRollback          reverse CDC task (Aurora -> on-premises), rollback Lambda/bucket,
                          automated rollback branches in the state machine
At least one must be set.
"""

import ipaddress
import re
from dataclasses import dataclass, field

import pulumi

PROJECT = "payment-migration"
SUFFIX_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")


class ConfigError(ValueError):
    """Raised for a configuration that cannot produce a valid stack."""


@dataclass(frozen=True)
class MigrationConfig:
    environment_suffix: str
    primary_region: str = "eu-central-1"
    secondary_region: str = "eu-central-2"
    enable_forward: bool = True
    enable_rollback: bool = True
    new_system_traffic_percent: float = 0.0
    replication_lag_threshold_seconds: int = 30
    max_lag_checks: int = 20
    production_cidrs: tuple = ("10.10.0.0/16", "10.20.0.0/16")  # primary, secondary region
    migration_cidrs: tuple = ("10.11.0.0/16", "10.21.0.0/16")
    on_prem_cidr: str = "10.100.0.0/16"
    on_prem_vpn_public_ip: str = "203.0.113.10"
    on_prem_bgp_asn: int = 65010
    on_prem_db_host: str = "payments-db.onprem.example.com"
    on_prem_db_port: int = 5432
    on_prem_db_name: str = "payments"
    legacy_api_endpoint: str = "https://payments.onprem.example.com"
    new_system_endpoint: str = "https://payments.aws.example.com"
    aurora_engine_version: str = "16.4"
    aurora_instance_class: str = "db.r6g.large"
    dms_instance_class: str = "dms.r5.large"
    ops_emails: tuple = ()
    rotation_days: int = 30
    secret_names: dict = field(default_factory=dict)
    deploy_role_arn: str = ""
    db_driver_layer_arn: str = ""  # Lambda layer with pg8000 for the functions that open DB connections
    create_dms_vpc_role: bool = True
    tables: tuple = ("payments", "transactions", "settlements", "refunds")

    @property
    def regions(self):
        return (self.primary_region, self.secondary_region)

    @property
    def direction(self):
        if self.enable_forward and self.enable_rollback:
            return "forward-with-rollback"
        return "forward" if self.enable_forward else "rollback"

    def name(self, base):
        """Resource name carrying the environment suffix."""
        return f"{base}-{self.environment_suffix}"

    @property
    def parameter_prefix(self):
        return f"/{PROJECT}/{self.environment_suffix}"

    def secret_name(self, key):
        return self.secret_names[key]


def _bool(cfg, key, default):
    value = cfg.get_bool(key)
    return default if value is None else value


def validate(c):
    """Reject configurations AWS (or the migration) cannot work with."""
    if not SUFFIX_RE.match(c.environment_suffix):
        raise ConfigError(
            f"environmentSuffix {c.environment_suffix!r} must be 1-20 chars of [a-z0-9-]"
        )
    if not (c.enable_forward or c.enable_rollback):
        raise ConfigError("at least one of enableForwardMigration / enableRollback must be true")
    if not 0 <= c.new_system_traffic_percent <= 100:
        raise ConfigError("newSystemTrafficPercent must be between 0 and 100")
    if c.replication_lag_threshold_seconds <= 0:
        raise ConfigError("replicationLagThresholdSeconds must be positive")
    if c.primary_region == c.secondary_region:
        raise ConfigError("primaryRegion and secondaryRegion must differ")
    nets = [ipaddress.ip_network(x) for x in (*c.production_cidrs, *c.migration_cidrs, c.on_prem_cidr)]
    for i, a in enumerate(nets):
        for b in nets[i + 1 :]:
            if a.overlaps(b):
                raise ConfigError(f"CIDR {a} overlaps {b}")
    return c


def load(cfg=None):
    """Read the stack configuration (pulumi.Config) into a validated MigrationConfig."""
    cfg = cfg or pulumi.Config(PROJECT)
    suffix = cfg.get("environmentSuffix") or pulumi.get_stack()
    default_secrets = {
        "aurora": f"{PROJECT}/{suffix}/aurora-master",
        "onprem": f"{PROJECT}/{suffix}/onprem-db",
        "api": f"{PROJECT}/{suffix}/api-authorizer",
    }
    overrides = cfg.get_object("secretNames") or {}
    defaults = MigrationConfig(environment_suffix=suffix)
    c = MigrationConfig(
        environment_suffix=suffix,
        primary_region=cfg.get("primaryRegion") or defaults.primary_region,
        secondary_region=cfg.get("secondaryRegion") or defaults.secondary_region,
        enable_forward=_bool(cfg, "enableForwardMigration", True),
        enable_rollback=_bool(cfg, "enableRollback", True),
        new_system_traffic_percent=cfg.get_float("newSystemTrafficPercent") or 0.0,
        replication_lag_threshold_seconds=cfg.get_int("replicationLagThresholdSeconds") or 30,
        max_lag_checks=cfg.get_int("maxLagChecks") or 20,
        on_prem_cidr=cfg.get("onPremCidr") or defaults.on_prem_cidr,
        on_prem_vpn_public_ip=cfg.get("onPremVpnPublicIp") or defaults.on_prem_vpn_public_ip,
        on_prem_bgp_asn=cfg.get_int("onPremBgpAsn") or defaults.on_prem_bgp_asn,
        on_prem_db_host=cfg.get("onPremDbHost") or defaults.on_prem_db_host,
        on_prem_db_name=cfg.get("onPremDbName") or defaults.on_prem_db_name,
        legacy_api_endpoint=cfg.get("legacyApiEndpoint") or defaults.legacy_api_endpoint,
        new_system_endpoint=cfg.get("newSystemEndpoint") or defaults.new_system_endpoint,
        aurora_engine_version=cfg.get("auroraEngineVersion") or defaults.aurora_engine_version,
        ops_emails=tuple(cfg.get_object("opsEmails") or ()),
        rotation_days=cfg.get_int("rotationDays") or 30,
        secret_names={**default_secrets, **overrides},
        deploy_role_arn=cfg.get("deployRoleArn") or "",
        db_driver_layer_arn=cfg.get("dbDriverLayerArn") or "",
        create_dms_vpc_role=_bool(cfg, "createDmsVpcRole", True),
    )
    return validate(c)
