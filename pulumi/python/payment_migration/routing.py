"""Route 53: private DNS for the migration and weighted routing between old and new systems.

A private hosted zone payments-<suffix>.internal, associated with the production VPCs of both
regions, holds:
  api.<zone>        weighted CNAMEs: "legacy" -> on-premises API (with a health check),
                    "migrated" -> the API Gateway endpoint; weights follow newSystemTrafficPercent
                    and are moved by the state machine (shift, cutover) and the rollback Lambda
  db-writer.<zone>  the Aurora writer endpoint; db-reader / db-reader-secondary: readers
"""

from dataclasses import dataclass
from urllib.parse import urlparse

import pulumi_aws as aws

from .providers import opts


@dataclass
class Routing:
    zone: object
    zone_name: str
    api_record_name: str
    legacy_target: str
    migrated_target: object
    health_check: object


def weights(percent):
    """(legacy, migrated) Route 53 weights for a share in percent."""
    migrated = round(percent)
    return 100 - migrated, migrated


def build(c, nets, dbs, api, provider):
    zone_name = f"payments-{c.environment_suffix}.internal"
    vpcs = [{"vpc_id": n.production.vpc.id, "vpc_region": region} for region, n in nets.items()]
    zone = aws.route53.Zone(
        c.name("payments-zone"),
        name=zone_name,
        comment=f"payment migration private zone ({c.environment_suffix})",
        vpcs=vpcs,
        force_destroy=True,
        opts=opts(provider),
    )
    legacy_host = urlparse(c.legacy_api_endpoint).hostname
    health = aws.route53.HealthCheck(
        c.name("legacy-api-health"),
        fqdn=legacy_host,
        port=443,
        type="HTTPS",
        resource_path="/health",
        failure_threshold=3,
        request_interval=30,
        tags={"Name": c.name("legacy-api-health")},
        opts=opts(provider),
    )
    migrated_target = api.rest_api.id.apply(lambda i: f"{i}.execute-api.{c.primary_region}.amazonaws.com")
    legacy_w, migrated_w = weights(c.new_system_traffic_percent)
    record_name = f"api.{zone_name}"
    for ident, weight, target, check in (
        ("legacy", legacy_w, legacy_host, health.id),
        ("migrated", migrated_w, migrated_target, None),
    ):
        aws.route53.Record(
            c.name(f"api-{ident}"),
            zone_id=zone.zone_id,
            name=record_name,
            type="CNAME",
            ttl=60,
            records=[target],
            set_identifier=ident,
            weighted_routing_policies=[{"weight": weight}],
            health_check_id=check,
            opts=opts(provider, parent=zone),
        )
    primary, secondary = (dbs.regions[r].cluster for r in c.regions)
    for label, target in (
        ("db-writer", primary.endpoint),
        ("db-reader", primary.reader_endpoint),
        ("db-reader-secondary", secondary.reader_endpoint),
    ):
        aws.route53.Record(
            c.name(label),
            zone_id=zone.zone_id,
            name=f"{label}.{zone_name}",
            type="CNAME",
            ttl=30,
            records=[target],
            opts=opts(provider, parent=zone),
        )
    return Routing(zone=zone, zone_name=zone_name, api_record_name=record_name, legacy_target=legacy_host,
                   migrated_target=migrated_target, health_check=health)
