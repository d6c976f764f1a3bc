import { strict as assert } from "assert";
import { strip, camelKeys, parseMaybeJson, SIG_KEY, SECRET_SIG, RESOURCE_SIG, OUTPUT_SIG, UNKNOWN } from "../src/wrappers";
import { durationSeconds, accountOfArn, rootCredentials } from "../src/credentials";
import { renderPolicyDocument } from "../src/policy";
import { autoName, defined, policyText, tagList } from "../src/handlers";

describe("wrappers", () => {
  it("unwraps secrets, drops unknowns, turns resource refs into ids and output values into values", () => {
    const v = strip({
      a: { [SIG_KEY]: SECRET_SIG, value: "pw" },
      b: UNKNOWN,
      c: [1, UNKNOWN, { [SIG_KEY]: OUTPUT_SIG, value: { [SIG_KEY]: SECRET_SIG, value: 2 } }],
      d: { [SIG_KEY]: RESOURCE_SIG, urn: "urn:x", id: "id-1" },
      e: { [SIG_KEY]: RESOURCE_SIG, urn: "urn:y", id: "" },
      f: { [SIG_KEY]: RESOURCE_SIG, urn: "urn:z" },
      g: null,
      h: { nested: { x: UNKNOWN, y: "ok" } },
    });
    assert.deepEqual(v, { a: "pw", c: [1, 2], d: "id-1", e: "urn:y", f: "urn:z", g: null, h: { nested: { y: "ok" } } });
  });
  it("camel-cases registry state keys recursively", () => {
    assert.deepEqual(camelKeys({ TransitGatewayId: "tgw-1", owner_id: "1", "x-y": [{ A: 1 }], n: null }), {
      transitGatewayId: "tgw-1",
      ownerId: "1",
      xY: [{ a: 1 }],
      n: null,
    });
  });
  it("parses JSON text and leaves other values", () => {
    assert.deepEqual(parseMaybeJson('[{"roleArn":"a"}]'), [{ roleArn: "a" }]);
    assert.equal(parseMaybeJson("not json"), "not json");
    assert.deepEqual(parseMaybeJson([1]), [1]);
  });
});

describe("credentials", () => {
  it("parses Go durations and numbers", () => {
    assert.equal(durationSeconds("1h"), 3600);
    assert.equal(durationSeconds("15m"), 900);
    assert.equal(durationSeconds("1h30m"), 5400);
    assert.equal(durationSeconds("3600s"), 3600);
    assert.equal(durationSeconds("0.5h"), 1800);
    assert.equal(durationSeconds(7200), 7200);
    assert.throws(() => durationSeconds("1 hour"), /invalid duration/);
    assert.throws(() => durationSeconds("abc"), /invalid duration/);
  });
  it("reads the account of an ARN", () => {
    assert.equal(accountOfArn("arn:aws:sts::210987654321:assumed-role/r/s"), "210987654321");
    assert.throws(() => accountOfArn("role/x"), /not an ARN/);
  });
  it("gives root credentials keyed by the account", () => {
    assert.deepEqual(rootCredentials("111111111111"), { accessKeyId: "111111111111", secretAccessKey: "test" });
  });
});

describe("policy documents", () => {
  it("renders like the AWS provider: sets sorted, singletons bare, conditions nested", () => {
    const r = renderPolicyDocument({
      policyId: "p1",
      statements: [
        {
          sid: "Trust",
          actions: ["sts:AssumeRole"],
          principals: [
            { type: "AWS", identifiers: ["arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:root"] },
            { type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] },
            { type: "Service", identifiers: ["states.amazonaws.com"] },
          ],
          conditions: [
            { test: "StringEquals", variable: "sts:ExternalId", values: ["x"] },
            { test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-2", "o-1"] },
          ],
        },
        { effect: "Deny", notActions: ["iam:*"], notResources: ["*"], notPrincipals: [{ type: "*", identifiers: ["*"] }] },
        { actions: ["b", "a"], resources: ["r"], principals: [] },
      ],
    });
    const doc = JSON.parse(r.json);
    assert.deepEqual(doc, {
      Version: "2012-10-17",
      Id: "p1",
      Statement: [
        {
          Sid: "Trust",
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"], Service: "states.amazonaws.com" },
          Condition: { StringEquals: { "sts:ExternalId": "x", "aws:PrincipalOrgID": ["o-1", "o-2"] } },
        },
        { Effect: "Deny", NotAction: "iam:*", NotResource: "*", NotPrincipal: "*" },
        { Effect: "Allow", Action: ["a", "b"], Resource: "r" },
      ],
    });
    assert.equal(r.minifiedJson, JSON.stringify(doc));
    assert.match(r.id, /^[0-9a-f]{10}$/);
    assert.deepEqual(JSON.parse(renderPolicyDocument({ version: "2008-10-17" }).json), { Version: "2008-10-17", Statement: [] });
  });
});

describe("handler helpers", () => {
  it("drops undefined members, converts tags and policies", () => {
    assert.deepEqual(defined({ a: 1, b: undefined, c: null }), { a: 1, c: null });
    assert.equal(tagList(undefined), undefined);
    assert.equal(tagList({}), undefined);
    assert.deepEqual(tagList({ k: "v" }), [{ Key: "k", Value: "v" }]);
    assert.deepEqual(tagList({ k: "v" }, true), [{ key: "k", value: "v" }]);
    assert.equal(policyText(undefined), undefined);
    assert.equal(policyText("{}"), "{}");
    assert.equal(policyText({ Version: "2012-10-17" }), '{"Version":"2012-10-17"}');
  });
  it("auto-names like the provider: name plus 7 hex, within the limit", () => {
    const h: any = { type: "t", name: "a".repeat(100), ctx: { account: "1" } };
    const n = autoName(h, 64);
    assert.equal(n.length, 64);
    assert.match(n, /^a+-[0-9a-f]{7}$/);
    assert.equal(autoName(h, 64), n);
  });
});
