"""aws.iam.getPolicyDocument rendered the way the AWS provider renders it.

Statement keys in the provider's order (Sid, Effect, Action, NotAction, Resource, NotResource,
Principal, NotPrincipal, Condition); a single value is a string, several are a sorted list;
principal type "*" with identifier "*" is the bare "*"; source documents' statements come first,
statements with the same Sid are replaced by later ones (ours, then override documents).
`json` is indented by two spaces, `minifiedJson` has no whitespace.
"""

import hashlib
import json


def _one_or_list(values):
    values = sorted(set(values or []))
    return values[0] if len(values) == 1 else values


def _principals(items):
    out = {}
    for p in items or []:
        if p["type"] == "*" and list(p.get("identifiers") or []) == ["*"]:
            return "*"
        out.setdefault(p["type"], []).extend(p.get("identifiers") or [])
    return {k: _one_or_list(v) for k, v in sorted(out.items())}


def _conditions(items):
    out = {}
    for c in items or []:
        out.setdefault(c["test"], {})[c["variable"]] = _one_or_list(c.get("values"))
    return out


def render_statement(s):
    st = {}
    if s.get("sid"):
        st["Sid"] = s["sid"]
    st["Effect"] = s.get("effect") or "Allow"
    for key, field in (("actions", "Action"), ("notActions", "NotAction"), ("resources", "Resource"),
                       ("notResources", "NotResource")):
        if s.get(key):
            st[field] = _one_or_list(s[key])
    if s.get("principals"):
        st["Principal"] = _principals(s["principals"])
    if s.get("notPrincipals"):
        st["NotPrincipal"] = _principals(s["notPrincipals"])
    if s.get("conditions"):
        st["Condition"] = _conditions(s["conditions"])
    return st


def _merge(base, extra):
    out = list(base)
    for st in extra:
        sid = st.get("Sid")
        idx = next((i for i, b in enumerate(out) if sid and b.get("Sid") == sid), None)
        if idx is None:
            out.append(st)
        else:
            out[idx] = st
    return out


def render(args):
    statements = []
    for src in args.get("sourcePolicyDocuments") or []:
        statements = _merge(statements, json.loads(src).get("Statement", []))
    statements = _merge(statements, [render_statement(s) for s in args.get("statements") or []])
    for over in args.get("overridePolicyDocuments") or []:
        statements = _merge(statements, json.loads(over).get("Statement", []))
    doc = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        doc["Id"] = args["policyId"]
    doc["Statement"] = statements
    text = json.dumps(doc, indent=2)
    return {
        "json": text,
        "minifiedJson": json.dumps(doc, separators=(",", ":")),
        "id": str(int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)),
        "statements": args.get("statements") or [],
    }
