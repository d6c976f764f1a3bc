/**
 * network.ts — MigrationNetwork: Transit Gateways in the central account (primary and secondary
 * region, peered), shared with the legacy and new accounts through AWS RAM (one principal
 * association per account; with external principals each account accepts its invitation, unless
 * ramAcceptInvitations=false leaves that to the accounts' owners), and
 * the VPC attachments of the configured VPCs, made once the account can see the gateway.
 * Dry-run creates the gateways only: no sharing, no attachments, no peering.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ROLES, AccountRole, MigrationConfig } from "./config";
import { CrossAccountAccess } from "./access";
import { mergeTags, migrationTags, resourceName } from "./naming";

export interface NetworkArgs {
  config: MigrationConfig;
  access: CrossAccountAccess;
}

/** Accounts the central account shares with: every distinct account other than its own. */
export function sharePrincipals(cfg: MigrationConfig): string[] {
  const roles: AccountRole[] = ["legacy", "production", "staging", "development"];
  return [...new Set(roles.map((r) => cfg.accounts[r]))].filter((a) => a !== cfg.accounts.central).sort();
}

export class MigrationNetwork extends pulumi.ComponentResource {
  readonly transitGateway: aws.ec2transitgateway.TransitGateway;
  readonly secondaryTransitGateway: aws.ec2transitgateway.TransitGateway;
  readonly share?: aws.ram.ResourceShare;
  readonly principalAssociations: aws.ram.PrincipalAssociation[] = [];
  readonly accepters: aws.ram.ResourceShareAccepter[] = [];
  readonly attachments: aws.ec2transitgateway.VpcAttachment[] = [];
  readonly peering?: aws.ec2transitgateway.PeeringAttachment;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("migration:index:MigrationNetwork", name, {}, opts);
    const { config: cfg, access } = args;
    const sfx = cfg.environmentSuffix;
    const tags = (extra: Record<string, string>) => mergeTags({ Name: extra.name }, migrationTags(cfg, { component: "network" }));
    const central = access.provider("central", cfg.primaryRegion);
    const centralSecondary = access.provider("central", cfg.secondaryRegion);
    const tgw = (n: string, region: string, provider: aws.Provider, asn: number) =>
      new aws.ec2transitgateway.TransitGateway(
        resourceName(n, sfx),
        {
          description: `Migration transit gateway (${region}) for ${cfg.migrationId}`,
          amazonSideAsn: asn,
          autoAcceptSharedAttachments: "enable",
          defaultRouteTableAssociation: "enable",
          defaultRouteTablePropagation: "enable",
          dnsSupport: "enable",
          tags: tags({ name: resourceName(n, sfx) }),
        },
        { parent: this, provider },
      );
    this.transitGateway = tgw("migration-tgw", cfg.primaryRegion, central, 64512);
    this.secondaryTransitGateway = tgw("migration-tgw-secondary", cfg.secondaryRegion, centralSecondary, 64513);
    if (cfg.dryRun) {
      this.registerOutputs({ transitGatewayId: this.transitGateway.id });
      return;
    }

    this.peering = new aws.ec2transitgateway.PeeringAttachment(
      resourceName("migration-tgw-peering", sfx),
      {
        transitGatewayId: this.transitGateway.id,
        peerTransitGatewayId: this.secondaryTransitGateway.id,
        peerRegion: cfg.secondaryRegion,
        peerAccountId: cfg.accounts.central,
        tags: tags({ name: resourceName("migration-tgw-peering", sfx) }),
      },
      { parent: this, provider: central },
    );
    new aws.ec2transitgateway.PeeringAttachmentAccepter(
      resourceName("migration-tgw-peering-accepter", sfx),
      { transitGatewayAttachmentId: this.peering.id, tags: tags({ name: resourceName("migration-tgw-peering-accepter", sfx) }) },
      { parent: this, provider: centralSecondary },
    );

    const principals = sharePrincipals(cfg);
    const byAccount = new Map<string, pulumi.Resource[]>();
    if (principals.length > 0) {
      this.share = new aws.ram.ResourceShare(
        resourceName("migration-tgw-share", sfx),
        { name: resourceName("migration-tgw-share", sfx), allowExternalPrincipals: cfg.allowExternalPrincipals, tags: tags({ name: resourceName("migration-tgw-share", sfx) }) },
        { parent: this, provider: central },
      );
      new aws.ram.ResourceAssociation(
        resourceName("migration-tgw-share-tgw", sfx),
        { resourceShareArn: this.share.arn, resourceArn: this.transitGateway.arn },
        { parent: this, provider: central },
      );
      for (const account of principals) {
        const pa = new aws.ram.PrincipalAssociation(
          resourceName(`migration-tgw-share-${account}`, sfx),
          { resourceShareArn: this.share.arn, principal: account },
          { parent: this, provider: central },
        );
        this.principalAssociations.push(pa);
        byAccount.set(account, [pa]);
        if (cfg.allowExternalPrincipals && cfg.ramAcceptInvitations) {
          // Outside the organization a share is an invitation the receiving account accepts
          // (unless ramAcceptInvitations=false: then it accepts out of band, and until it has, AWS
          // answers its attachment with InvalidTransitGatewayID.NotFound).
          const role = ACCOUNT_ROLES.find((r) => cfg.accounts[r] === account)!;
          const acc = new aws.ram.ResourceShareAccepter(
            resourceName(`migration-tgw-share-accept-${account}`, sfx),
            { shareArn: this.share.arn },
            { parent: this, provider: access.provider(role, cfg.primaryRegion), dependsOn: [pa] },
          );
          this.accepters.push(acc);
          byAccount.set(account, [pa, acc]);
        }
      }
    }

    for (const role of Object.keys(cfg.vpcs).sort() as AccountRole[]) {
      const vpc = cfg.vpcs[role]!;
      const n = resourceName(`migration-tgw-attach-${role}`, sfx);
      this.attachments.push(
        new aws.ec2transitgateway.VpcAttachment(
          n,
          { transitGatewayId: this.transitGateway.id, vpcId: vpc.vpcId, subnetIds: vpc.subnetIds, dnsSupport: "enable", tags: tags({ name: n }) },
          { parent: this, provider: access.provider(role, cfg.primaryRegion), dependsOn: byAccount.get(cfg.accounts[role]) || [] },
        ),
      );
    }
    this.registerOutputs({ transitGatewayId: this.transitGateway.id });
  }
}
