/**
 * mocks.ts — AwssimMocks, a pulumi.runtime.Mocks that forwards a Pulumi program to awssim.
 *
 * Resources of services awssim emulates go through the real AWS API (handlers.ts) so awssim
 * validates them as AWS would; every other custom resource goes to awssim's generic registry
 * (POST /_awssim/resources). Explicit AWS providers with assumeRoles are honoured: the resources
 * they manage are created with credentials from a real STS AssumeRole on awssim, so trust
 * policies and session limits are exercised. Invokes are answered from awssim (STS, IAM) or
 * rendered as the provider would (getPolicyDocument, getPartition, ...).
 *
 * The class only depends on @pulumi/pulumi's types, so a program that has its own copy of the
 * Pulumi SDK can pass an instance to its own pulumi.runtime.setMocks.
 */
import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { AwsCredentials, CallContext, accountOfArn, durationSeconds, rootCredentials } from "./credentials";
import { HANDLERS, defined } from "./handlers";
import {
  AwsApiError,
  RegistryResource,
  Sender,
  ServiceKey,
  advanceClock,
  ramVisible,
  registryCreate,
  registryList,
  resolveEndpoint,
  sdkSender,
} from "./awssim";
import { renderPolicyDocument } from "./policy";
import { camelKeys, parseMaybeJson, strip } from "./wrappers";

export interface AwssimMocksOptions {
  /** awssim URL; default AWSSIM_URL or AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Account of the default provider's credentials (default AWSSIM_ACCOUNT or 123456789012). */
  account?: string;
  /** Region of the default provider (default AWS_REGION or us-east-1). */
  region?: string;
  /** Credentials of the default provider (default: the account's root credentials in awssim). */
  credentials?: AwsCredentials;
  /** Preview: answer every resource locally, make no mutating call to awssim. */
  preview?: boolean;
  /** Replaces the AWS SDK (unit tests). */
  sender?: Sender;
  /** Replaces the registry client (unit tests). */
  registry?: (body: Record<string, any>) => Promise<RegistryResource>;
  /** Whether an account can use a resource through RAM (default: awssim's /_awssim/ram/visible). */
  ramVisible?: (account: string, arn: string) => Promise<boolean>;
  /** Finds a registry resource by type and id (default: GET /_awssim/resources at the endpoint). */
  registryLookup?: (type: string, id: string) => Promise<RegistryResource | undefined>;
  /** Lets time pass in awssim while waiting for a status (default: advance its clock 30 s). */
  tick?: () => Promise<void>;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
}

/** One resource the bridge created, in creation order. */
export interface CreatedResource {
  type: string;
  name: string;
  id: string;
  account: string;
  region: string;
  via: "aws-api" | "registry" | "local";
}

interface ProviderConfig {
  region?: string;
  assumeRoles: any[];
}

/** A short AWS-like id prefix per Pulumi type, for ids made up locally (preview). */
const ID_PREFIX: Record<string, string> = {
  transitGateway: "tgw",
  vpcAttachment: "tgw-attach",
  peeringAttachment: "tgw-attach",
  peeringAttachmentAccepter: "tgw-attach",
  routeTable: "tgw-rtb",
  vpc: "vpc",
  subnet: "subnet",
  securityGroup: "sg",
};

/**
 * Preview shapes of the emulated types whose ids and ARNs other resources build on, so a preview's
 * outputs look like a deployment's: (physical name, account, region, hex) → [id, arn, extra state].
 */
const PREVIEW_SHAPES: Record<string, (n: string, c: CallContext, hex: string) => [string, string, Record<string, any>]> = {
  "aws:iam/role:Role": (n, c) => [n, `arn:aws:iam::${c.account}:role/${n}`, { name: n }],
  "aws:sfn/stateMachine:StateMachine": (n, c) => {
    const arn = `arn:aws:states:${c.region}:${c.account}:stateMachine:${n}`;
    return [arn, arn, { name: n }];
  },
  "aws:route53/zone:Zone": (_n, _c, hex) => {
    const id = `Z${hex.toUpperCase()}`;
    return [id, `arn:aws:route53:::hostedzone/${id}`, { zoneId: id }];
  },
  "aws:ram/resourceShare:ResourceShare": (_n, c, hex) => {
    const arn = `arn:aws:ram:${c.region}:${c.account}:resource-share/${hex}`;
    return [arn, arn, {}];
  },
};

const TRANSIT_GATEWAY = "aws:ec2transitgateway/transitGateway:TransitGateway";

/** Attachment types that name a transit gateway, and the EC2 operation that creates each. */
const TGW_ATTACHMENTS: Record<string, string> = {
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "CreateTransitGatewayVpcAttachment",
  "aws:ec2transitgateway/peeringAttachment:PeeringAttachment": "CreateTransitGatewayPeeringAttachment",
};

export class AwssimMocks implements pulumi.runtime.Mocks {
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly preview: boolean;
  readonly created: CreatedResource[] = [];
  private readonly sender: Sender;
  private readonly registry: (body: Record<string, any>) => Promise<RegistryResource>;
  private readonly log: (line: string) => void;
  private readonly tick: () => Promise<void>;
  private readonly ramVisible: (account: string, arn: string) => Promise<boolean>;
  private readonly registryLookup: (type: string, id: string) => Promise<RegistryResource | undefined>;
  /** id → ARN of the transit gateways this bridge created. */
  private readonly gatewayArns = new Map<string, string>();
  private readonly providers = new Map<string, ProviderConfig>();
  private readonly sessions = new Map<string, Promise<CallContext>>();
  private counter = 0;
  private fail!: (e: Error) => void;
  /** Rejects with the first resource or invoke that failed (Pulumi's mock runtime only logs it). */
  readonly failed: Promise<never> = new Promise<never>((_, reject) => (this.fail = reject));

  constructor(opts: AwssimMocksOptions = {}) {
    this.endpoint = resolveEndpoint(opts.endpoint);
    this.account = opts.account || process.env.AWSSIM_ACCOUNT || "123456789012";
    this.region = opts.region || process.env.AWS_REGION || "us-east-1";
    this.credentials = opts.credentials || rootCredentials(this.account);
    this.preview = opts.preview === true;
    this.sender = opts.sender || sdkSender(this.endpoint);
    this.registry = opts.registry || ((body) => registryCreate(this.endpoint, body));
    this.log = opts.log || (() => undefined);
    this.tick = opts.tick || (() => advanceClock(this.endpoint, 30));
    this.ramVisible = opts.ramVisible || ((account, arn) => ramVisible(this.endpoint, account, arn));
    this.registryLookup = opts.registryLookup || (async (type, id) => (await registryList(this.endpoint, type)).find((r) => r.id === id));
    this.failed.catch(() => undefined);
  }

  /** Runs f; a failure is remembered (see `failed`) with what failed, then rethrown. */
  private async guard<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e: any) {
      const err = new Error(`${what}: ${e.message}`);
      this.log(`FAILED ${err.message}`);
      this.fail(err);
      throw err;
    }
  }

  newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string | undefined; state: Record<string, any> }> {
    return this.guard(`${args.type} ${args.name}`, () => this.create(args));
  }

  call(args: pulumi.runtime.MockCallArgs): Promise<Record<string, any>> {
    return this.guard(`invoke ${args.token}`, () => this.invoke(args));
  }

  private async create(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string; state: Record<string, any> }> {
    const inputs = strip(args.inputs);
    if (args.type.startsWith("pulumi:providers:")) return this.registerProvider(args.name, inputs);
    if (!args.custom) return { id: `${args.name}-component`, state: inputs };
    const ctx = await this.contextFor(args.provider, inputs.region);
    let result: { id: string; state: Record<string, any> };
    let via: CreatedResource["via"];
    const handler = HANDLERS[args.type];
    if (this.preview) {
      result = this.synthesize(args.type, args.name, inputs, ctx);
      via = "local";
    } else if (handler !== undefined) {
      const call = (service: ServiceKey, op: string, input: any) => this.sender(service, op, input, ctx);
      result = await handler({ type: args.type, name: args.name, inputs, ctx, call, tick: this.tick });
      via = "aws-api";
    } else {
      await this.checkTransitGatewayShared(args.type, inputs, ctx);
      const r = await this.registry({ type: args.type, name: args.name, inputs, account: ctx.account, region: ctx.region });
      const local = this.synthesize(args.type, args.name, inputs, ctx);
      const state = { ...inputs, ...camelKeys(r.state || {}), arn: r.arn || local.state.arn };
      result = { id: r.id || local.id, state };
      if (args.type === TRANSIT_GATEWAY) this.gatewayArns.set(result.id, state.arn);
      via = "registry";
    }
    this.created.push({ type: args.type, name: args.name, id: result.id, account: ctx.account, region: ctx.region, via });
    this.log(`created ${args.type} ${args.name} (${result.id}) in ${ctx.account}/${ctx.region} via ${via}`);
    return result;
  }

  /**
   * EC2 + RAM: an account other than the transit gateway's owner can attach to it only once the
   * gateway is shared with it through RAM and usable (invitation accepted, or sharing within the
   * organization); until then AWS answers InvalidTransitGatewayID.NotFound, as if the gateway did
   * not exist. The owner comes from the gateway's ARN (this deploy's registry resources, else
   * awssim's registry); a gateway awssim does not know is not checked.
   */
  private async checkTransitGatewayShared(type: string, inputs: Record<string, any>, ctx: CallContext): Promise<void> {
    const op = TGW_ATTACHMENTS[type];
    const tgwId = inputs.transitGatewayId;
    if (op === undefined || typeof tgwId !== "string") return;
    let arn = this.gatewayArns.get(tgwId);
    if (arn === undefined) {
      const found = await this.registryLookup(TRANSIT_GATEWAY, tgwId);
      arn = found === undefined ? undefined : found.arn;
    }
    if (arn === undefined || accountOfArn(arn) === ctx.account) return;
    if (await this.ramVisible(ctx.account, arn)) return;
    throw new AwsApiError("ec2", op, "InvalidTransitGatewayID.NotFound", `The transitGateway ID '${tgwId}' does not exist.`);
  }

  private async invoke(args: pulumi.runtime.MockCallArgs): Promise<Record<string, any>> {
    const inputs = strip(args.inputs);
    const ctx = await this.contextFor(args.provider, inputs.region);
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity": {
        const r = await this.sender("sts", "GetCallerIdentity", {}, ctx);
        return { accountId: r.Account, arn: r.Arn, userId: r.UserId, id: r.Account };
      }
      case "aws:index/getRegion:getRegion":
        return { id: ctx.region, name: ctx.region, region: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com`, description: ctx.region };
      case "aws:index/getPartition:getPartition":
        return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const letters = ["a", "b", "c"];
        return {
          id: ctx.region,
          names: letters.map((l) => `${ctx.region}${l}`),
          zoneIds: letters.map((_, i) => `${ctx.region.replace(/-/g, "").replace("east", "e").replace("west", "w").slice(0, 4)}-az${i + 1}`),
          groupNames: [ctx.region],
          state: "available",
        };
      }
      case "aws:iam/getPolicyDocument:getPolicyDocument":
        return renderPolicyDocument(inputs);
      case "aws:iam/getRole:getRole": {
        const r = await this.sender("iam", "GetRole", { RoleName: inputs.name }, ctx);
        return {
          id: r.Role.RoleName,
          name: r.Role.RoleName,
          arn: r.Role.Arn,
          uniqueId: r.Role.RoleId,
          path: r.Role.Path,
          maxSessionDuration: r.Role.MaxSessionDuration,
          assumeRolePolicy: decodeURIComponent(r.Role.AssumeRolePolicyDocument || ""),
        };
      }
      default:
        throw new Error(`awssim mocks: no answer for invoke ${args.token}`);
    }
  }

  /** Remember an explicit provider's region and assume-role chain under the id we give it. */
  private registerProvider(name: string, inputs: Record<string, any>) {
    const id = `${name}-${++this.counter}`;
    const roles = parseMaybeJson(inputs.assumeRoles);
    this.providers.set(id, { region: inputs.region, assumeRoles: Array.isArray(roles) ? roles : [] });
    return { id, state: inputs };
  }

  /**
   * The identity a resource or invoke runs as. A provider reference is "urn::id"; providers we
   * did not register (Pulumi's default provider) run as the default credentials.
   */
  async contextFor(providerRef: string | undefined, regionOverride?: string): Promise<CallContext> {
    const providerId = providerRef === undefined ? "" : providerRef.split("::").pop()!;
    const provider = this.providers.get(providerId);
    const base: CallContext = { account: this.account, region: this.region, credentials: this.credentials };
    let ctx = base;
    if (provider !== undefined) {
      ctx = { ...base, region: provider.region || base.region };
      if (provider.assumeRoles.length > 0) ctx = await this.session(providerId, provider, ctx);
    }
    return regionOverride ? { ...ctx, region: regionOverride } : ctx;
  }

  /** STS AssumeRole for each role of the provider's chain, once per provider. */
  private session(providerId: string, provider: ProviderConfig, start: CallContext): Promise<CallContext> {
    let p = this.sessions.get(providerId);
    if (p === undefined && this.preview) {
      // Preview: the roles may not exist yet (their ARNs would be unknown to a real provider); act
      // in the last role's account without opening a session.
      const last = provider.assumeRoles[provider.assumeRoles.length - 1];
      p = Promise.resolve({ ...start, account: accountOfArn(last.roleArn) });
      this.sessions.set(providerId, p);
    }
    if (p === undefined) {
      p = (async () => {
        let ctx = start;
        for (const role of provider.assumeRoles) {
          const r = await this.sender(
            "sts",
            "AssumeRole",
            defined({
              RoleArn: role.roleArn,
              RoleSessionName: role.sessionName || `pulumi-${providerId}`.slice(0, 64),
              DurationSeconds: role.duration === undefined || role.duration === "" ? undefined : durationSeconds(role.duration),
              ExternalId: role.externalId,
              Policy: role.policy,
              PolicyArns: role.policyArns === undefined ? undefined : role.policyArns.map((arn: string) => ({ arn })),
              SourceIdentity: role.sourceIdentity,
              Tags: role.tags === undefined ? undefined : Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
              TransitiveTagKeys: role.transitiveTagKeys,
            }),
            ctx,
          );
          this.log(`assumed ${role.roleArn} as ${r.AssumedRoleUser.Arn}`);
          ctx = {
            account: accountOfArn(r.AssumedRoleUser.Arn),
            region: ctx.region,
            credentials: {
              accessKeyId: r.Credentials.AccessKeyId,
              secretAccessKey: r.Credentials.SecretAccessKey,
              sessionToken: r.Credentials.SessionToken,
            },
          };
        }
        return ctx;
      })();
      this.sessions.set(providerId, p);
    }
    return p;
  }

  /** An AWS-shaped id and ARN made up locally (preview mode, or a registry that gave no id). */
  synthesize(type: string, name: string, inputs: Record<string, any>, ctx: CallContext) {
    const [pkg, mod] = type.split(":");
    const kind = type.split(":").pop()!;
    const resource = kind.charAt(0).toLowerCase() + kind.slice(1);
    const hex = createHash("sha1").update(`${ctx.account}/${type}/${name}`).digest("hex").slice(0, 17);
    const prefix = ID_PREFIX[resource];
    const shape = PREVIEW_SHAPES[type];
    if (shape !== undefined) {
      const [id, arn, extra] = shape(inputs.name || `${name}-${hex.slice(0, 7)}`, ctx, hex);
      return { id, state: { ...inputs, ...extra, arn, tagsAll: inputs.tags || {} } };
    }
    const id = prefix === undefined ? `${name}-${hex.slice(0, 7)}` : `${prefix}-${hex}`;
    const service = mod.split("/")[0].replace(/transitgateway$/, "");
    const arn = `arn:${pkg === "aws" ? "aws" : pkg}:${service}:${ctx.region}:${ctx.account}:${resource}/${id}`;
    return { id, state: { ...inputs, arn, tagsAll: inputs.tags || {} } };
  }
}
