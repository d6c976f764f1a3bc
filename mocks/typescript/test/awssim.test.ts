import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AwssimMocks } from "../src/mocks";
import * as bridge from "../src/index";
import { advanceClock, AwsApiError, ramVisible, registryCreate, registryList, resolveEndpoint, sdkSender, startAwssim } from "../src/awssim";

const TGW2_ARN = "arn:aws:ec2:us-east-1:555555555555:transit-gateway/tgw-2";

/** A stand-in HTTP server: STS query protocol for GetCallerIdentity, and the registry endpoints. */
async function fakeServer(): Promise<{ url: string; seen: any[]; close(): Promise<void> }> {
  const seen: any[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, body, auth: req.headers.authorization });
      if (req.url === "/_awssim/clock") {
        const b = JSON.parse(body);
        return b.advance === 1 ? res.writeHead(400).end('{"message":"real clock"}') : res.writeHead(200).end("{}");
      }
      if (req.url!.startsWith("/_awssim/ram/visible")) {
        const q = new URL(req.url!, "http://x").searchParams;
        if (q.get("account") === "999999999999") return res.writeHead(400).end('{"message":"account and arn are required"}');
        return res.writeHead(200).end(JSON.stringify({ visible: q.get("account") === "333333333333" && q.get("arn") === TGW2_ARN }));
      }
      if (req.url!.startsWith("/_awssim/resources")) {
        if (req.method === "POST") {
          const b = JSON.parse(body);
          if (b.name === "bad") return res.writeHead(400).end('{"message":"bad inputs"}');
          return res.writeHead(200).end(JSON.stringify({ id: "tgw-1", arn: "arn:aws:ec2:us-east-1:1:transit-gateway/tgw-1", state: {} }));
        }
        if (req.url!.includes("type=fail")) return res.writeHead(500).end("boom");
        if (req.url!.includes("transitGateway%3ATransitGateway")) return res.writeHead(200).end(JSON.stringify({ resources: [{ id: "tgw-2", arn: TGW2_ARN }] }));
        if (req.url!.includes("type=wrapped")) return res.writeHead(200).end(JSON.stringify({ resources: [{ id: "w" }] }));
        return res.writeHead(200).end(JSON.stringify([{ id: "tgw-1", url: req.url }]));
      }
      if (body.includes("Action=GetCallerIdentity")) {
        return res
          .writeHead(200, { "content-type": "text/xml" })
          .end(
            `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:root</Arn><UserId>111111111111</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
          );
      }
      res
        .writeHead(400, { "content-type": "text/xml" })
        .end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>The requested DurationSeconds exceeds the MaxSessionDuration set for this role.</Message></Error><RequestId>r2</RequestId></ErrorResponse>`,
        );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as any).port;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}

describe("awssim client", () => {
  let srv: Awaited<ReturnType<typeof fakeServer>>;
  before(async () => (srv = await fakeServer()));
  after(async () => srv.close());

  it("sends AWS API calls with the SDK, signed with the context's credentials", async () => {
    const send = sdkSender(srv.url);
    const ctx = { account: "111111111111", region: "us-east-1", credentials: { accessKeyId: "111111111111", secretAccessKey: "test" } };
    const r = await send("sts", "GetCallerIdentity", {}, ctx);
    assert.equal(r.Account, "111111111111");
    await send("sts", "GetCallerIdentity", {}, ctx);
    assert.match(srv.seen[srv.seen.length - 1].auth, /Credential=111111111111\//);
    await assert.rejects(
      send("sts", "AssumeRole", { RoleArn: "arn:aws:iam::1:role/r", RoleSessionName: "s", DurationSeconds: 7200 }, ctx),
      (e: any) => e instanceof AwsApiError && e.code === "ValidationError" && /exceeds the MaxSessionDuration/.test(e.message),
    );
  });

  it("creates and lists registry resources", async () => {
    const r = await registryCreate(srv.url, { type: "aws:ec2transitgateway/transitGateway:TransitGateway", name: "tgw" });
    assert.equal(r.id, "tgw-1");
    await assert.rejects(registryCreate(srv.url, { type: "t", name: "bad" }), /awssim registry 400 for t bad: .*bad inputs/);
    const all = await registryList(srv.url, "aws:x", "111111111111");
    assert.equal(all[0].url, "/_awssim/resources?type=aws%3Ax&account=111111111111");
    assert.equal((await registryList(srv.url))[0].url, "/_awssim/resources");
    assert.deepEqual(await registryList(srv.url, "wrapped"), [{ id: "w" }]);
    await assert.rejects(registryList(srv.url, "fail"), /awssim registry 500: boom/);
  });

  it("AwssimMocks uses the registry at its endpoint by default", async () => {
    const m = new AwssimMocks({ endpoint: srv.url, account: "111111111111" });
    const r = await m.newResource({ type: "aws:ec2transitgateway/transitGateway:TransitGateway", name: "tgw", inputs: {}, custom: true });
    assert.equal(r.id, "tgw-1");
    const posted = JSON.parse(srv.seen.filter((x) => x.method === "POST" && x.url === "/_awssim/resources").pop().body);
    assert.deepEqual(posted, { type: "aws:ec2transitgateway/transitGateway:TransitGateway", name: "tgw", inputs: {}, account: "111111111111", region: "us-east-1" });
  });

  it("asks awssim whether RAM makes a resource visible to an account", async () => {
    assert.equal(await ramVisible(srv.url, "333333333333", TGW2_ARN), true);
    assert.equal(await ramVisible(srv.url, "222222222222", TGW2_ARN), false);
    const q = new URL(srv.seen[srv.seen.length - 1].url, "http://x").searchParams;
    assert.deepEqual([q.get("account"), q.get("arn")], ["222222222222", TGW2_ARN]);
    await assert.rejects(ramVisible(srv.url, "999999999999", TGW2_ARN), /awssim ram\/visible 400: .*account and arn are required/);
  });

  it("AwssimMocks checks transit gateway sharing at its endpoint by default (owner from the registry)", async () => {
    const inAccount = (account: string) => new AwssimMocks({ endpoint: srv.url, account });
    const attach = { type: "aws:ec2transitgateway/vpcAttachment:VpcAttachment", name: "att", inputs: { transitGatewayId: "tgw-2", vpcId: "vpc-1" }, custom: true };
    await assert.rejects(inAccount("222222222222").newResource(attach), /InvalidTransitGatewayID\.NotFound: The transitGateway ID 'tgw-2' does not exist\./);
    assert.ok(srv.seen.some((x) => x.method === "GET" && x.url === "/_awssim/resources?type=aws%3Aec2transitgateway%2FtransitGateway%3ATransitGateway"));
    const r = await inAccount("333333333333").newResource(attach);
    assert.equal(r.id, "tgw-1");
  });

  it("advances awssim's clock, or waits a moment when it cannot", async () => {
    await advanceClock(srv.url, 30);
    assert.deepEqual(JSON.parse(srv.seen[srv.seen.length - 1].body), { advance: 30 });
    const t = Date.now();
    await advanceClock(srv.url, 1);
    assert.ok(Date.now() - t >= 150);
  });

  it("AwssimMocks waits for DMS with the clock at its endpoint by default", async () => {
    let n = 0;
    const m = new AwssimMocks({
      endpoint: srv.url,
      sender: async (_s, op) =>
        op === "CreateReplicationInstance"
          ? { ReplicationInstance: { ReplicationInstanceArn: "arn:ri" } }
          : { ReplicationInstances: [{ ReplicationInstanceStatus: n++ < 1 ? "creating" : "available" }] },
    });
    const before = srv.seen.filter((x) => x.url === "/_awssim/clock").length;
    await m.newResource({ type: "aws:dms/replicationInstance:ReplicationInstance", name: "ri", inputs: { replicationInstanceId: "ri" }, custom: true });
    assert.equal(srv.seen.filter((x) => x.url === "/_awssim/clock").length, before + 1);
  });

  it("resolves the endpoint from the argument or the environment", () => {
    const saved = { ...process.env };
    try {
      assert.equal(resolveEndpoint("http://a:1//"), "http://a:1");
      process.env.AWSSIM_URL = "http://b";
      process.env.AWS_ENDPOINT_URL = "http://c";
      assert.equal(resolveEndpoint(), "http://b");
      delete process.env.AWSSIM_URL;
      assert.equal(resolveEndpoint(), "http://c");
    } finally {
      process.env = saved;
    }
  });
});

describe("startAwssim", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-awssim-"));
  function script(name: string, body: string): string {
    const f = path.join(dir, name);
    fs.writeFileSync(f, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return f;
  }

  it("starts the binary with --port 0 --ready-file and reads the URL, then stops it", async () => {
    const bin = script("ok", 'echo "$@" > "$0.args"; sleep 0.1; echo "http://127.0.0.1:4567/" > "$5"; exec sleep 30');
    const s = await startAwssim(bin);
    assert.equal(s.url, "http://127.0.0.1:4567");
    assert.match(fs.readFileSync(`${bin}.args`, "utf8"), /^serve --port 0 --ready-file \S+ready$/m);
    await s.stop();
    assert.notEqual(s.process.signalCode || s.process.exitCode, null);
    await s.stop();
  });

  it("fails with the binary's stderr when it exits before ready", async () => {
    const bin = script("dies", 'echo "bind failed" >&2; exit 3');
    await assert.rejects(startAwssim(bin), /did not become ready .*bind failed/);
  });

  it("fails with the spawn error when the binary does not exist", async () => {
    await assert.rejects(startAwssim(path.join(dir, "missing")), /did not become ready .*ENOENT/);
  });

  it("fails after the timeout", async () => {
    const bin = script("slow", "exec sleep 30");
    await assert.rejects(startAwssim(bin, 200), /did not become ready/);
  });

  it("needs AWSSIM_BIN", async () => {
    const saved = process.env.AWSSIM_BIN;
    delete process.env.AWSSIM_BIN;
    try {
      await assert.rejects(startAwssim(), /AWSSIM_BIN is not set/);
    } finally {
      if (saved !== undefined) process.env.AWSSIM_BIN = saved;
    }
  });
});

describe("package entry", () => {
  it("exports the bridge", () => {
    assert.equal(typeof bridge.AwssimMocks, "function");
    assert.equal(typeof bridge.deploy, "function");
    assert.equal(typeof bridge.startAwssim, "function");
    assert.equal(typeof bridge.HANDLERS["aws:iam/role:Role"], "function");
    const names = Object.keys(bridge).sort();
    assert.deepEqual(names.filter((k) => (bridge as any)[k] === undefined), []);
    assert.ok(names.length >= 20);
  });
});
