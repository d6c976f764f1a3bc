/**
 * policy.ts — render aws:iam/getPolicyDocument the way the AWS provider does.
 *
 * The provider treats actions, resources and principal identifiers as sets: sorted, and a
 * one-element set is written as a bare string. Conditions become {test: {variable: values}}.
 * `json` is indented with two spaces; `minifiedJson` has no whitespace.
 */
import { createHash } from "crypto";

function setValue(v: string[] | undefined): string | string[] | undefined {
  if (v === undefined || v.length === 0) return undefined;
  const sorted = [...new Set(v)].sort();
  return sorted.length === 1 ? sorted[0] : sorted;
}

function principals(list: any[] | undefined): any {
  if (list === undefined || list.length === 0) return undefined;
  const out: Record<string, any> = {};
  for (const p of list) {
    if (p.type === "*") return "*";
    const prev = out[p.type] === undefined ? [] : ([] as string[]).concat(out[p.type]);
    out[p.type] = setValue(prev.concat(p.identifiers));
  }
  return out;
}

function conditions(list: any[] | undefined): any {
  if (list === undefined || list.length === 0) return undefined;
  const out: Record<string, Record<string, any>> = {};
  for (const c of list) {
    out[c.test] = out[c.test] || {};
    out[c.test][c.variable] = setValue(c.values);
  }
  return out;
}

export interface PolicyDocumentResult {
  id: string;
  json: string;
  minifiedJson: string;
}

export function renderPolicyDocument(args: any): PolicyDocumentResult {
  const statements = (args.statements || []).map((s: any) => {
    const st: Record<string, any> = {
      Sid: s.sid || undefined,
      Effect: s.effect || "Allow",
      Action: setValue(s.actions),
      NotAction: setValue(s.notActions),
      Resource: setValue(s.resources),
      NotResource: setValue(s.notResources),
      Principal: principals(s.principals),
      NotPrincipal: principals(s.notPrincipals),
      Condition: conditions(s.conditions),
    };
    for (const k of Object.keys(st)) if (st[k] === undefined) delete st[k];
    return st;
  });
  const doc: Record<string, any> = { Version: args.version || "2012-10-17" };
  if (args.policyId) doc.Id = args.policyId;
  doc.Statement = statements;
  const minifiedJson = JSON.stringify(doc);
  return {
    id: String(createHash("sha256").update(minifiedJson).digest("hex").slice(0, 10)),
    json: JSON.stringify(doc, null, 2),
    minifiedJson,
  };
}
