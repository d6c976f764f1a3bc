/**
 * Live: the bridge against a real awssim (AWSSIM_BIN). awssim answers as AWS would: sessions over
 * a role's MaxSessionDuration, untrusted callers and invalid ASL fail with AWS's messages; what
 * the bridge created is really there; the deploy CLI runs a program end to end.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { AwssimMocks } from "../src/mocks";
import { AwssimServer, registryList, sdkSender, startAwssim } from "../src/awssim";
import { ensureBootstrapRoles } from "../src/deploy";

const BIN = process.env.AWSSIM_BIN || path.resolve(__dirname, "../../../build/release/awssim");
const A = "111111111111";
const B = "222222222222";
const trust = (account: string) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }] });

describe("live: bridge against awssim", function () {
  let srv: AwssimServer;
  let m: AwssimMocks;
  const res = (type: string, name: string, inputs: any, provider?: string) => m.newResource({ type, name, inputs, provider, custom: true });
  const provider = async (name: string, roleArn: string, duration: string) =>
    `urn::${(await m.newResource({ type: "pulumi:providers:aws", name, custom: true, inputs: { region: "us-east-1", assumeRoles: JSON.stringify([{ roleArn, sessionName: name, duration }]) } })).id}`;
  const aws = (account: string, service: any, op: string, input: any) =>
    sdkSender(srv.url)(service, op, input, { account, region: "us-east-1", credentials: { accessKeyId: account, secretAccessKey: "test" } });

  before(async () => {
    srv = await startAwssim(BIN);
    m = new AwssimMocks({ endpoint: srv.url, account: A });
    await ensureBootstrapRoles(srv.url, [B], A, "migration-b");
    await res("aws:iam/role:Role", "short", { name: "short-session", assumeRolePolicy: trust(A), maxSessionDuration: 3600 });
  });
  after(async () => srv.stop());

  it("creates resources through an assume-role provider as that role, in its account", async () => {
    const p = await provider("to-b", `arn:aws:iam::${B}:role/migration-b`, "1h");
    const r = await res("aws:iam/role:Role", "in-b", { name: "created-in-b", assumeRolePolicy: trust(A) }, p);
    assert.equal(r.state.arn, `arn:aws:iam::${B}:role/created-in-b`);
    const me = await m.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {}, provider: p });
    assert.equal(me.arn, `arn:aws:sts::${B}:assumed-role/migration-b/to-b`);
    const roles = (await aws(B, "iam", "ListRoles", {})).Roles.map((x: any) => x.RoleName);
    assert.ok(roles.includes("created-in-b"));
  });

  it("a 2-hour session fails with AWS's message", async () => {
    const p = await provider("two-hours", `arn:aws:iam::${A}:role/short-session`, "2h");
    await assert.rejects(
      res("aws:sfn/activity:Activity", "act", {}, p),
      /sts:AssumeRole failed: ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role\./,
    );
  });

  it("a role that does not trust the caller cannot be assumed", async () => {
    await res("aws:iam/role:Role", "trusts-b", { name: "trusts-only-b", assumeRolePolicy: trust(B) });
    const p = await provider("untrusted", `arn:aws:iam::${A}:role/trusts-only-b`, "1h");
    await assert.rejects(res("aws:sfn/activity:Activity", "act2", {}, p), /sts:AssumeRole failed: AccessDenied/);
  });

  it("an invalid ASL definition fails with AWS's message", async () => {
    const role = `arn:aws:iam::${A}:role/short-session`;
    await assert.rejects(
      res("aws:sfn/stateMachine:StateMachine", "bad", { name: "bad", roleArn: role, definition: JSON.stringify({ StartAt: "Missing", States: { A: { Type: "Succeed" } } }) }),
      /sfn:CreateStateMachine failed: InvalidDefinition: Invalid State Machine Definition/,
    );
    const ok = await res("aws:sfn/stateMachine:StateMachine", "good", { name: "good", roleArn: role, definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Succeed" } } }), tags: { k: "v" } });
    const d = await aws(A, "sfn", "DescribeStateMachine", { stateMachineArn: ok.id });
    assert.equal(d.name, "good");
  });

  it("creates Route 53 zones, health checks and weighted records awssim serves", async () => {
    const z = await res("aws:route53/zone:Zone", "zone", { name: "bridge.example.com", tags: { team: "x" } });
    const hc = await res("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS", fqdn: "new.example.com", port: 443, resourcePath: "/health", requestInterval: 30, failureThreshold: 3 });
    await res("aws:route53/record:Record", "rec", { zoneId: z.id, name: "api.bridge.example.com", type: "CNAME", ttl: 60, records: ["new.example.com"], setIdentifier: "new", weightedRoutingPolicies: [{ weight: 10 }], healthCheckId: hc.id });
    const rr = await aws(A, "route53", "ListResourceRecordSets", { HostedZoneId: z.id });
    const rec = rr.ResourceRecordSets.find((x: any) => x.SetIdentifier === "new");
    assert.equal(rec.Weight, 10);
    assert.equal(rec.HealthCheckId, hc.id);
    await assert.rejects(
      res("aws:route53/record:Record", "bad-weight", { zoneId: z.id, name: "x.bridge.example.com", type: "CNAME", ttl: 60, records: ["a"], setIdentifier: "s", weightedRoutingPolicies: [{ weight: 300 }] }),
      /route53:ChangeResourceRecordSets failed/,
    );
  });

  it("creates DMS and RAM resources, and other types in the registry", async () => {
    const ri = await res("aws:dms/replicationInstance:ReplicationInstance", "ri", { replicationInstanceId: "bridge-ri", replicationInstanceClass: "dms.t3.micro", allocatedStorage: 20 });
    assert.equal(ri.state.replicationInstanceStatus, "available");
    const share = await res("aws:ram/resourceShare:ResourceShare", "share", { name: "bridge-share", allowExternalPrincipals: true });
    await res("aws:ram/principalAssociation:PrincipalAssociation", "pa", { resourceShareArn: share.id, principal: B });
    const principals = await aws(A, "ram", "ListPrincipals", { resourceOwner: "SELF", resourceShareArns: [share.id] });
    assert.deepEqual(principals.principals.map((p: any) => p.id), [B]);
    const toB = await provider("accept-in-b", `arn:aws:iam::${B}:role/migration-b`, "1h");
    const acc = await res("aws:ram/resourceShareAccepter:ResourceShareAccepter", "accept", { shareArn: share.id }, toB);
    assert.equal(acc.state.status, "ACCEPTED");
    assert.equal(acc.state.receiverAccountId, B);
    const tgw = await res("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw", { description: "d" });
    assert.match(tgw.id!, /^tgw-[0-9a-f]{17}$/);
    assert.equal(tgw.state.arn, `arn:aws:ec2:us-east-1:${A}:transit-gateway/${tgw.id}`);
    const listed = await registryList(srv.url, "aws:ec2transitgateway/transitGateway:TransitGateway", A);
    assert.deepEqual(listed.map((x: any) => x.id), [tgw.id]);
  });

  it("a VPC attachment in an account that has not accepted the gateway's RAM share fails as in AWS", async () => {
    const VPC = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
    const tgw = await res("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw-shared", { description: "shared" });
    const share = await res("aws:ram/resourceShare:ResourceShare", "tgw-share", { name: "tgw-share", allowExternalPrincipals: true });
    await res("aws:ram/resourceAssociation:ResourceAssociation", "tgw-share-tgw", { resourceShareArn: share.id, resourceArn: tgw.state.arn });
    await res("aws:ram/principalAssociation:PrincipalAssociation", "tgw-share-b", { resourceShareArn: share.id, principal: B });
    const toB = await provider("attach-in-b", `arn:aws:iam::${B}:role/migration-b`, "1h");
    const inputs = { transitGatewayId: tgw.id, vpcId: "vpc-b", subnetIds: ["subnet-b"] };
    await assert.rejects(res(VPC, "attach-b", inputs, toB), new RegExp(`InvalidTransitGatewayID\\.NotFound: The transitGateway ID '${tgw.id}' does not exist\\.`));
    assert.deepEqual(await registryList(srv.url, VPC, B), []);
    await res("aws:ram/resourceShareAccepter:ResourceShareAccepter", "accept-tgw", { shareArn: share.id }, toB);
    // A bridge that did not create the gateway finds its owner in awssim's registry.
    const asB = new AwssimMocks({ endpoint: srv.url, account: B });
    const att = await asB.newResource({ type: VPC, name: "attach-b", inputs, custom: true });
    assert.match(att.id!, /^tgw-attach-[0-9a-f]{17}$/);
    assert.deepEqual((await registryList(srv.url, VPC, B)).map((x: any) => x.id), [att.id]);
  });

  it("the deploy CLI runs a program against awssim and writes flat outputs", async () => {
    await ensureBootstrapRoles(srv.url, [B], A, "migration");
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cli-")), "flat-outputs.json");
    const cli = path.join(__dirname, "..", "dist", "deploy.js");
    const { stdout } = await promisify(execFile)(process.execPath, [
      cli, "--program", path.join(__dirname, "fixtures", "js-program"), "--endpoint", srv.url, "--stack", "dev",
      "--account", A, "--config", "suffix=cli", "--outputs", out,
    ]);
    const flat = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.equal(flat.roleArn, `arn:aws:iam::${B}:role/r-cli`);
    assert.equal(JSON.parse(stdout).count, 3);
    await assert.rejects(
      promisify(execFile)(process.execPath, [cli, "--program", path.join(__dirname, "fixtures", "js-program"), "--endpoint", srv.url, "--stack", "dev", "--account", "333333333333", "--config", "suffix=denied"]),
      /deploy failed: .*AssumeRole failed: AccessDenied/,
    );
  });
});
