"""Networking in both regions: production and migration VPCs, Transit Gateway, VPN to on-premises.

Per region:
  production VPC  public subnets (NAT gateways) + private subnets (Aurora, Lambda)
  migration VPC   public subnets (NAT gateways) + private subnets + dedicated DMS subnets
  Transit Gateway with both VPCs attached and a site-to-site VPN (BGP) to the on-premises
  data centre; private route tables send on-premises and the sibling VPC through the TGW and
  the internet through the NAT gateway of their AZ. Subnets are /24s carved from the VPC CIDR.
"""

import ipaddress
from dataclasses import dataclass, field

import pulumi_aws as aws

from .providers import invoke_opts, opts

AZ_COUNT = 2
TIER_OFFSETS = {"public": 0, "private": 10, "dms": 20}


def subnet_cidr(vpc_cidr, tier, az_index):
    """The /24 of `tier` in AZ `az_index` inside vpc_cidr (public .0-, private .10-, dms .20-)."""
    net = ipaddress.ip_network(vpc_cidr)
    nth = TIER_OFFSETS[tier] + az_index
    return str(list(net.subnets(new_prefix=24))[nth])


@dataclass
class VpcNet:
    kind: str
    cidr: str
    vpc: object
    subnets: dict = field(default_factory=dict)  # tier -> [Subnet]
    private_route_tables: list = field(default_factory=list)
    public_route_table: object = None
    nat_gateways: list = field(default_factory=list)
    tgw_attachment: object = None

    def subnet_ids(self, tier):
        return [s.id for s in self.subnets[tier]]


@dataclass
class RegionNet:
    region: str
    production: VpcNet
    migration: VpcNet
    transit_gateway: object
    vpn_connection: object
    customer_gateway: object


def _vpc(c, region, kind, cidr, tiers, azs, provider):
    tag = f"{kind}-{region}"
    vpc = aws.ec2.Vpc(
        c.name(f"{tag}-vpc"),
        cidr_block=cidr,
        enable_dns_hostnames=True,
        enable_dns_support=True,
        tags={"Name": c.name(f"{tag}-vpc"), "Tier": kind},
        opts=opts(provider),
    )
    net = VpcNet(kind=kind, cidr=cidr, vpc=vpc)
    igw = aws.ec2.InternetGateway(
        c.name(f"{tag}-igw"),
        vpc_id=vpc.id,
        tags={"Name": c.name(f"{tag}-igw")},
        opts=opts(provider, parent=vpc),
    )
    for tier in tiers:
        net.subnets[tier] = [
            aws.ec2.Subnet(
                c.name(f"{tag}-{tier}-{i}"),
                vpc_id=vpc.id,
                cidr_block=subnet_cidr(cidr, tier, i),
                availability_zone=azs.apply(lambda names, i=i: names[i]),
                map_public_ip_on_launch=False,
                tags={"Name": c.name(f"{tag}-{tier}-{i}"), "Tier": tier},
                opts=opts(provider, parent=vpc),
            )
            for i in range(AZ_COUNT)
        ]
    net.public_route_table = aws.ec2.RouteTable(
        c.name(f"{tag}-public-rt"),
        vpc_id=vpc.id,
        tags={"Name": c.name(f"{tag}-public-rt")},
        opts=opts(provider, parent=vpc),
    )
    aws.ec2.Route(
        c.name(f"{tag}-public-default"),
        route_table_id=net.public_route_table.id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.id,
        opts=opts(provider, parent=vpc),
    )
    for i in range(AZ_COUNT):
        aws.ec2.RouteTableAssociation(
            c.name(f"{tag}-public-assoc-{i}"),
            subnet_id=net.subnets["public"][i].id,
            route_table_id=net.public_route_table.id,
            opts=opts(provider, parent=vpc),
        )
        eip = aws.ec2.Eip(
            c.name(f"{tag}-nat-eip-{i}"),
            domain="vpc",
            tags={"Name": c.name(f"{tag}-nat-eip-{i}")},
            opts=opts(provider, parent=vpc),
        )
        nat = aws.ec2.NatGateway(
            c.name(f"{tag}-nat-{i}"),
            allocation_id=eip.id,
            subnet_id=net.subnets["public"][i].id,
            tags={"Name": c.name(f"{tag}-nat-{i}")},
            opts=opts(provider, parent=vpc, depends_on=[igw]),
        )
        net.nat_gateways.append(nat)
        rt = aws.ec2.RouteTable(
            c.name(f"{tag}-private-rt-{i}"),
            vpc_id=vpc.id,
            tags={"Name": c.name(f"{tag}-private-rt-{i}")},
            opts=opts(provider, parent=vpc),
        )
        aws.ec2.Route(
            c.name(f"{tag}-private-default-{i}"),
            route_table_id=rt.id,
            destination_cidr_block="0.0.0.0/0",
            nat_gateway_id=nat.id,
            opts=opts(provider, parent=vpc),
        )
        for tier in tiers:
            if tier == "public":
                continue
            aws.ec2.RouteTableAssociation(
                c.name(f"{tag}-{tier}-assoc-{i}"),
                subnet_id=net.subnets[tier][i].id,
                route_table_id=rt.id,
                opts=opts(provider, parent=vpc),
            )
        net.private_route_tables.append(rt)
    return net


def _region(c, index, region, provider):
    azs = aws.get_availability_zones_output(state="available", opts=invoke_opts(provider)).names
    prod = _vpc(c, region, "production", c.production_cidrs[index], ("public", "private"), azs, provider)
    mig = _vpc(
        c, region, "migration", c.migration_cidrs[index], ("public", "private", "dms"), azs, provider
    )
    tgw = aws.ec2transitgateway.TransitGateway(
        c.name(f"tgw-{region}"),
        description=f"payment migration hub {region} ({c.environment_suffix})",
        amazon_side_asn=64512 + index,
        default_route_table_association="enable",
        default_route_table_propagation="enable",
        dns_support="enable",
        vpn_ecmp_support="enable",
        tags={"Name": c.name(f"tgw-{region}")},
        opts=opts(provider),
    )
    for net in (prod, mig):
        net.tgw_attachment = aws.ec2transitgateway.VpcAttachment(
            c.name(f"tgw-attach-{net.kind}-{region}"),
            transit_gateway_id=tgw.id,
            vpc_id=net.vpc.id,
            subnet_ids=net.subnet_ids("private"),
            dns_support="enable",
            tags={"Name": c.name(f"tgw-attach-{net.kind}-{region}")},
            opts=opts(provider, parent=tgw),
        )
    cgw = aws.ec2.CustomerGateway(
        c.name(f"onprem-cgw-{region}"),
        bgp_asn=str(c.on_prem_bgp_asn),
        ip_address=c.on_prem_vpn_public_ip,
        type="ipsec.1",
        tags={"Name": c.name(f"onprem-cgw-{region}")},
        opts=opts(provider),
    )
    vpn = aws.ec2.VpnConnection(
        c.name(f"onprem-vpn-{region}"),
        customer_gateway_id=cgw.id,
        transit_gateway_id=tgw.id,
        type="ipsec.1",
        static_routes_only=False,
        tunnel1_ike_versions=["ikev2"],
        tunnel2_ike_versions=["ikev2"],
        tags={"Name": c.name(f"onprem-vpn-{region}")},
        opts=opts(provider, parent=tgw),
    )
    # Private routes: on-premises and the sibling VPC go through the Transit Gateway.
    for net, other in ((prod, mig), (mig, prod)):
        for i, rt in enumerate(net.private_route_tables):
            for label, dest in (("onprem", c.on_prem_cidr), ("peer", other.cidr)):
                aws.ec2.Route(
                    c.name(f"{net.kind}-{region}-{label}-tgw-{i}"),
                    route_table_id=rt.id,
                    destination_cidr_block=dest,
                    transit_gateway_id=tgw.id,
                    opts=opts(provider, parent=net.vpc, depends_on=[net.tgw_attachment]),
                )
    return RegionNet(
        region=region,
        production=prod,
        migration=mig,
        transit_gateway=tgw,
        vpn_connection=vpn,
        customer_gateway=cgw,
    )


def build(c, providers):
    """RegionNet per region, keyed by region name."""
    return {region: _region(c, i, region, providers[region]) for i, region in enumerate(c.regions)}

