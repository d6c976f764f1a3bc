import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deploy, ensureBootstrapRoles, flatten, parseArgs, projectName, stackConfig } from "../src/deploy";
import { AwsApiError } from "../src/awssim";
import { FakeAws } from "./fake";

const FIX = path.join(__dirname, "fixtures");

describe("deploy CLI helpers", () => {
  it("parses flags, repeated --config and bootstrap options", () => {
    const o = parseArgs([
      "--program", "p", "--endpoint", "http://x", "--stack", "dev", "--outputs", "o.json", "--account", "111111111111",
      "--region", "us-east-2", "--preview", "true", "--config", "a=1", "--config", "ns:b=x=y",
      "--bootstrap-role", "OrgRole", "--bootstrap-accounts", "1,2", "--precompile", "false",
    ]);
    assert.deepEqual(o, {
      program: "p", endpoint: "http://x", stack: "dev", outputs: "o.json", account: "111111111111", region: "us-east-2",
      preview: true, config: { a: "1", "ns:b": "x=y" }, bootstrapRole: "OrgRole", bootstrapAccounts: ["1", "2"],
      precompile: false,
    });
    assert.equal(parseArgs(["--program", "p", "--stack", "s", "--precompile", "true"]).precompile, true);
    assert.throws(() => parseArgs(["--program"]), /missing value for --program/);
    assert.throws(() => parseArgs(["--config", "novalue", "--program", "p", "--stack", "s"]), /key=value/);
    assert.throws(() => parseArgs(["--nope", "1"]), /unknown flag --nope/);
    assert.throws(() => parseArgs(["--program", "p"]), /--program and --stack are required/);
  });

  it("reads the project name and the stack config, with overrides", () => {
    assert.equal(projectName(path.join(FIX, "js-program")), "fixture-js");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proj-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "runtime: nodejs\n");
    assert.throws(() => projectName(dir), /no name in/);
    const c = stackConfig(path.join(FIX, "js-program"), "fixture-js", "dev", { suffix: "x", "aws:region": "us-east-2" });
    assert.deepEqual(c, { "fixture-js:suffix": "x", "fixture-js:obj": '{"a":1}', "aws:region": "us-east-2" });
    fs.writeFileSync(path.join(FIX, "js-program", "Pulumi.empty.yaml"), "# nothing\n");
    try {
      assert.deepEqual(stackConfig(path.join(FIX, "js-program"), "fixture-js", "empty", {}), {});
    } finally {
      fs.rmSync(path.join(FIX, "js-program", "Pulumi.empty.yaml"));
    }
    assert.deepEqual(stackConfig(path.join(FIX, "js-program"), "fixture-js", "none", {}), {});
  });

  it("flattens outputs", () => {
    assert.deepEqual(flatten({ a: "x", b: 1, c: { d: 1 }, e: [1], f: null }), { a: "x", b: 1, c: '{"d":1}', e: "[1]", f: null });
  });

  it("creates the organization access role in each account once, tolerating existing ones", async () => {
    const aws = new FakeAws();
    const seen = new Set<string>();
    aws.answers.CreateRole = (i, c) => {
      if (c.account === "333333333333") throw new AwsApiError("iam", "CreateRole", "EntityAlreadyExists", "exists");
      if (c.account === "444444444444") throw new AwsApiError("iam", "CreateRole", "AccessDenied", "no");
      seen.add(c.account);
      return { Role: { Arn: `arn:aws:iam::${c.account}:role/${i.RoleName}` } };
    };
    const arns = await ensureBootstrapRoles("http://x", ["222222222222", "222222222222", "333333333333"], "111111111111", undefined, aws.sender);
    assert.deepEqual(arns, ["arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"]);
    const doc = JSON.parse(aws.calls[0].input.AssumeRolePolicyDocument);
    assert.deepEqual(doc.Statement[0].Principal, { AWS: "arn:aws:iam::111111111111:root" });
    assert.equal(aws.calls[0].input.MaxSessionDuration, 3600);
    assert.equal(aws.calls[0].ctx.credentials.accessKeyId, "222222222222");
    await assert.rejects(ensureBootstrapRoles("http://x", ["444444444444"], "1", "R", aws.sender), /AccessDenied/);
  });
});

describe("deploy", () => {
  it("runs a JS program in mock mode through the bridge and writes flat outputs", async () => {
    const aws = new FakeAws();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "out-")), "cfn-outputs", "flat-outputs.json");
    const r = await deploy({
      program: path.join(FIX, "js-program"),
      stack: "dev",
      endpoint: "http://127.0.0.1:1",
      account: "111111111111",
      config: { suffix: "t1" },
      outputs: out,
      sender: aws.sender,
      registry: async () => ({ id: "x" }),
    });
    assert.equal(r.outputs.roleArn, "arn:aws:iam::222222222222:role/r-t1");
    assert.deepEqual(r.outputs.obj, { a: 1 });
    assert.deepEqual(JSON.parse(fs.readFileSync(out, "utf8")), { roleArn: "arn:aws:iam::222222222222:role/r-t1", obj: '{"a":1}', count: 3, unknownUntilCreated: "1970-01-01T00:00:00.000Z", nested: JSON.stringify({ arns: ["arn:aws:iam::222222222222:role/r-t1", "1970-01-01T00:00:00.000Z"], n: 1 }) });
    const assume = aws.last("AssumeRole");
    assert.deepEqual(assume.input, { RoleArn: "arn:aws:iam::222222222222:role/migration", RoleSessionName: "deploy", DurationSeconds: 3600 });
    assert.equal(aws.last("CreateRole").ctx.region, "us-east-2");
    assert.ok(r.mocks.created.some((c) => c.type === "aws:iam/role:Role" && c.account === "222222222222"));
  });

  it("in preview writes what is known and null for what is not, creating nothing", async () => {
    const aws = new FakeAws();
    const registered: any[] = [];
    const r = await deploy({
      program: path.join(FIX, "js-program"),
      stack: "dev",
      endpoint: "http://127.0.0.1:1",
      account: "111111111111",
      preview: true,
      sender: aws.sender,
      registry: async (b) => (registered.push(b), { id: "x" }),
    });
    assert.equal(r.outputs.count, 3);
    assert.equal(r.outputs.unknownUntilCreated, null);
    assert.deepEqual(r.outputs.nested, { arns: [r.outputs.roleArn, null], n: 1 });
    assert.equal(r.outputs.roleArn, "arn:aws:iam::222222222222:role/r-dev1");
    assert.deepEqual(r.outputs.obj, { a: 1 });
    assert.deepEqual(aws.calls, []);
    assert.equal(r.mocks.created.find((c) => c.name === "role-dev1")!.account, "222222222222");
    assert.deepEqual(registered, []);
  });

  it("runs a TypeScript program precompiled, or through its ts-node when told", async () => {
    const prog = path.join(FIX, "ts-program");
    const build = path.join(prog, ".awssim-build");
    fs.rmSync(build, { recursive: true, force: true });
    try {
      const plain = await deploy({ program: prog, stack: "other", endpoint: "http://127.0.0.1:1", precompile: false });
      assert.ok(!fs.existsSync(build));
      const r = await deploy({ program: prog, stack: "other", endpoint: "http://127.0.0.1:1" });
      assert.equal(fs.readdirSync(build).length, 1);
      assert.equal(r.outputs.greeting, "hello nobody");
      assert.deepEqual(r.outputs.list, [1, 2]);
      assert.deepEqual(r.outputs, plain.outputs);
    } finally {
      fs.rmSync(build, { recursive: true, force: true });
    }
  });
});
