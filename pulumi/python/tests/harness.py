"""Run the Pulumi program in mock mode in-process and collect what it registered.

FakeAws is a self-contained Mocks implementation (no awssim) that answers like the AWS provider
would: ids, ARNs and the computed attributes the program reads (endpoints, invoke ARNs, ...).
Tests assert on the recorded inputs; the live deployment against awssim is in test_live_deploy.
"""

import json
import threading

import pulumi
from pulumi.runtime import mocks as pmocks
from pulumi.runtime.settings import SETTINGS
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

ACCOUNT = "123456789012"
PROJECT = "payment-migration"


class Recorded:
    def __init__(self, typ, name, inputs, provider, state, id_):
        self.typ, self.name, self.inputs, self.provider, self.state, self.id = typ, name, inputs, provider, state, id_


class FakeAws(pmocks.Mocks):
    def __init__(self, secrets=None):
        self.lock = threading.Lock()
        self.resources = []
        self.calls = []
        self.providers = {}
        self.secrets = secrets or {}

    def region_of(self, args):
        if args.inputs.get("region"):
            return args.inputs["region"]
        prov = self.providers.get((args.provider or "").rsplit("::", 1)[-1])
        return prov.get("region", "eu-central-1") if prov else "eu-central-1"

    def new_resource(self, args):
        typ, name, inputs = args.typ, args.name, dict(args.inputs)
        if typ.startswith("pulumi:providers:"):
            pid = f"{name}-provider-id"
            with self.lock:
                self.providers[pid] = inputs
                self.resources.append(Recorded(typ, name, inputs, args.provider, inputs, pid))
            return pid, inputs
        region = self.region_of(args)
        svc = typ.split(":")[1].split("/")[0]
        res_name = inputs.get("name") or name
        rid = f"{name}-id"
        arn = f"arn:aws:{svc}:{region}:{ACCOUNT}:{typ.split(':')[-1].lower()}/{res_name}"
        state = {"arn": arn, "id": rid, "name": res_name, **inputs}
        extra = {
            "aws:rds/cluster:Cluster": lambda: {
                "endpoint": f"{inputs['clusterIdentifier']}.cluster-abc.{region}.rds.amazonaws.com",
                "readerEndpoint": f"{inputs['clusterIdentifier']}.cluster-ro-abc.{region}.rds.amazonaws.com",
            },
            "aws:apigateway/restApi:RestApi": lambda: {
                "rootResourceId": "root123", "executionArn": f"arn:aws:execute-api:{region}:{ACCOUNT}:abc123"},
            "aws:apigateway/stage:Stage": lambda: {
                "invokeUrl": f"https://abc123.execute-api.{region}.amazonaws.com/{inputs['stageName']}"},
            "aws:lambda/function:Function": lambda: {
                "invokeArn": f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations"},
            "aws:route53/zone:Zone": lambda: {"zoneId": "Z0123456789ABC"},
            "aws:dms/replicationTask:ReplicationTask": lambda: {
                "replicationTaskArn": f"arn:aws:dms:{region}:{ACCOUNT}:task:{inputs['replicationTaskId'].upper()}"},
            "aws:dms/replicationInstance:ReplicationInstance": lambda: {
                "replicationInstanceArn": f"arn:aws:dms:{region}:{ACCOUNT}:rep:{inputs['replicationInstanceId'].upper()}"},
            "aws:dms/endpoint:Endpoint": lambda: {
                "endpointArn": f"arn:aws:dms:{region}:{ACCOUNT}:endpoint:{inputs['endpointId'].upper()}"},
            "aws:kms/key:Key": lambda: {"keyId": f"key-{name}", "arn": f"arn:aws:kms:{region}:{ACCOUNT}:key/{name}"},
            "aws:s3/bucket:Bucket": lambda: {"arn": f"arn:aws:s3:::{inputs['bucket']}"},
            "aws:sfn/stateMachine:StateMachine": lambda: {
                "arn": f"arn:aws:states:{region}:{ACCOUNT}:stateMachine:{res_name}"},
        }.get(typ)
        if extra:
            state.update(extra())
        with self.lock:
            self.resources.append(Recorded(typ, name, inputs, args.provider, state, rid))
        return rid, state

    def call(self, args):
        with self.lock:
            self.calls.append((args.token, args.args, args.provider))
        tok = args.token
        if tok == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root", "userId": ACCOUNT, "id": ACCOUNT}
        if tok == "aws:index/getAvailabilityZones:getAvailabilityZones":
            region = self.providers.get((args.provider or "").rsplit("::", 1)[-1], {}).get("region", "eu-central-1")
            return {"names": [f"{region}a", f"{region}b", f"{region}c"], "zoneIds": ["z1", "z2", "z3"],
                    "id": region}
        if tok == "aws:iam/getPolicyDocument:getPolicyDocument":
            return {"json": json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": s.get("effect", "Allow"), "Action": s["actions"],
                 "Principal": {p["type"]: p["identifiers"] for p in s.get("principals", [])},
                 "Condition": {cnd["test"]: {cnd["variable"]: cnd["values"]} for cnd in s.get("conditions", [])}}
                for s in args.args["statements"]]})}
        if tok == "aws:secretsmanager/getSecret:getSecret":
            name = args.args["name"]
            return {"arn": f"arn:aws:secretsmanager:eu-central-1:{ACCOUNT}:secret:{name}-AbCdEf", "name": name,
                    "id": name}
        if tok == "aws:secretsmanager/getSecretVersion:getSecretVersion":
            return {"secretString": json.dumps({"username": "payments_admin", "password": "s3cr3t-Pa55"}),
                    "arn": args.args["secretId"], "id": args.args["secretId"], "versionId": "v1"}
        raise NotImplementedError(tok)

    # --- query helpers for tests
    def of_type(self, typ):
        return [r for r in self.resources if r.typ == typ]

    def one(self, typ, name):
        found = [r for r in self.resources if r.typ == typ and r.name == name]
        assert len(found) == 1, (typ, name, [r.name for r in self.of_type(typ)])
        return found[0]

    def region(self, rec):
        return self.region_of(pmocks.MockResourceArgs(rec.typ, rec.name, rec.inputs, rec.provider))


def run_program(config, mocks=None, stack="test"):
    """Build the stack with `config` ({key: value}); returns (mocks, resolved outputs)."""
    from payment_migration import stack as stack_mod

    mocks = mocks or FakeAws()
    pulumi.runtime.set_all_config({f"{PROJECT}:{k}": (v if isinstance(v, str) else json.dumps(v))
                                   for k, v in config.items()})
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False)
    SETTINGS.rpc_manager.clear()
    SETTINGS.outputs.clear()
    holder = {}

    def program():
        outs = stack_mod.build()
        holder["outputs"] = _sync_await(pulumi.Output.from_input(outs).future())

    _sync_await(run_pulumi_func(program))
    return mocks, holder["outputs"]
