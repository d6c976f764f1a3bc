"""Parameter Store hierarchy per environment: /payment-migration/<suffix>/<area>/<name>.

All values are SecureString encrypted with the primary region's KMS key. The `migration/phase`
parameter is owned at run time by the state machine and the rollback Lambda (ignore_changes).
"""

import pulumi
import pulumi_aws as aws

from .providers import opts

PHASE = "migration/phase"


def build(c, values, key, provider):
    """values: {relative name: str | Output[str]} -> {relative name: Parameter}"""
    params = {}
    for rel, value in {**values, PHASE: "not-started"}.items():
        params[rel] = aws.ssm.Parameter(
            c.name(f"param-{rel.replace('/', '-')}"),
            name=f"{c.parameter_prefix}/{rel}",
            type="SecureString",
            key_id=key.key_id,
            value=value,
            tier="Standard",
            description=f"payment migration {rel} ({c.environment_suffix})",
            opts=opts(provider, ignore_changes=["value"] if rel == PHASE else None),
        )
    return params


def base_values(c):
    values = {
        "migration/direction": c.direction,
        "migration/forward-enabled": str(c.enable_forward).lower(),
        "migration/rollback-enabled": str(c.enable_rollback).lower(),
        "traffic/new-system-percent": str(c.new_system_traffic_percent),
        "replication/lag-threshold-seconds": str(c.replication_lag_threshold_seconds),
        "regions/primary": c.primary_region,
        "regions/secondary": c.secondary_region,
    }
    return values


def phase_parameter_name(c):
    return f"{c.parameter_prefix}/{PHASE}"


def phase_parameter_arn(c, account_id):
    return pulumi.Output.concat("arn:aws:ssm:", c.primary_region, ":", account_id, ":parameter",
                                phase_parameter_name(c))
