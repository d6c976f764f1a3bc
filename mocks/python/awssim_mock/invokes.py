"""Provider functions (invokes) answered by the bridge.

  aws:index/getCallerIdentity      STS GetCallerIdentity on awssim (with the provider's credentials,
                                   so an assumed role reports the role's session)
  aws:index/getRegion, getPartition, getAvailabilityZones   from the provider's region
  aws:iam/getPolicyDocument        rendered like the provider (policy.py)
  aws:secretsmanager/getSecret, getSecretVersion   from secrets seeded in the bridge or registered
                                   in awssim's generic registry; a missing secret fails with
                                   Secrets Manager's ResourceNotFoundException message
"""

import hashlib

from . import policy

AZ_SUFFIXES = ("a", "b", "c")
REGION_CODES = {"eu-central-1": "euc1", "eu-central-2": "euc2", "us-east-1": "use1", "us-west-2": "usw2",
                "eu-west-1": "euw1"}


class InvokeError(RuntimeError):
    pass


def caller_identity(ctx, args):
    ident = ctx.client("sts").get_caller_identity()
    return {"accountId": ident["Account"], "arn": ident["Arn"], "userId": ident["UserId"], "id": ident["Account"]}


def region(ctx, args):
    name = args.get("region") or args.get("name") or ctx.region
    return {"name": name, "region": name, "id": name, "endpoint": f"ec2.{name}.amazonaws.com",
            "description": name}


def partition(ctx, args):
    return {"partition": "aws", "id": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"}


def availability_zones(ctx, args):
    code = REGION_CODES.get(ctx.region, ctx.region.replace("-", "")[:6])
    zones = [(f"{ctx.region}{s}", f"{code}-az{i + 1}") for i, s in enumerate(AZ_SUFFIXES)]
    excluded_names = set(args.get("excludeNames") or [])
    excluded_ids = set(args.get("excludeZoneIds") or [])
    zones = [z for z in zones if z[0] not in excluded_names and z[1] not in excluded_ids]
    return {"id": ctx.region, "names": [z[0] for z in zones], "zoneIds": [z[1] for z in zones],
            "groupNames": [ctx.region], "state": args.get("state")}


def policy_document(ctx, args):
    return policy.render(args)


def _not_found():
    return InvokeError("ResourceNotFoundException: Secrets Manager can't find the specified secret.")


def _secret_arn(ctx, name):
    h = hashlib.sha256(name.encode()).hexdigest()
    suffix = "".join(chr(ord("A") + int(c, 16)) for c in h[:6])
    return f"arn:aws:secretsmanager:{ctx.region}:{ctx.account}:secret:{name}-{suffix}"


def find_secret(ctx, ident):
    """(name, record) of a seeded or registered secret matching a name or ARN, else raise."""
    for name, rec in ctx.bridge.secrets.items():
        if ident in (name, rec.get("arn") or _secret_arn(ctx, name)):
            return name, rec
    for res in ctx.registry_list("aws:secretsmanager/secret:Secret"):
        state = {**(res.get("inputs") or {}), **(res.get("state") or {})}
        name = state.get("name") or res.get("name")
        arn = res.get("arn") or state.get("arn")
        if ident in (name, arn):
            value = None
            for ver in ctx.registry_list("aws:secretsmanager/secretVersion:SecretVersion"):
                vin = {**(ver.get("inputs") or {}), **(ver.get("state") or {})}
                if vin.get("secretId") in (name, arn):
                    value = vin.get("secretString")
            return name, {"arn": arn, "secretString": value, "kmsKeyId": state.get("kmsKeyId", "")}
    raise _not_found()


def secret(ctx, args):
    name, rec = find_secret(ctx, args.get("arn") or args.get("name"))
    arn = rec.get("arn") or _secret_arn(ctx, name)
    return {"arn": arn, "id": arn, "name": name, "description": rec.get("description", ""),
            "kmsKeyId": rec.get("kmsKeyId", ""), "policy": "", "tags": rec.get("tags", {})}


def secret_version(ctx, args):
    name, rec = find_secret(ctx, args["secretId"])
    if rec.get("secretString") is None:
        raise InvokeError("ResourceNotFoundException: Secrets Manager can't find the specified secret value "
                          "for staging label: AWSCURRENT")
    arn = rec.get("arn") or _secret_arn(ctx, name)
    return {"arn": arn, "id": f"{arn}|AWSCURRENT", "secretId": args["secretId"], "secretString": rec["secretString"],
            "secretBinary": "", "versionId": hashlib.md5(rec["secretString"].encode()).hexdigest(),
            "versionStage": args.get("versionStage") or "AWSCURRENT", "versionStages": ["AWSCURRENT"]}


INVOKES = {
    "aws:index/getCallerIdentity:getCallerIdentity": caller_identity,
    "aws:index/getRegion:getRegion": region,
    "aws:index/getPartition:getPartition": partition,
    "aws:index/getAvailabilityZones:getAvailabilityZones": availability_zones,
    "aws:iam/getPolicyDocument:getPolicyDocument": policy_document,
    "aws:secretsmanager/getSecret:getSecret": secret,
    "aws:secretsmanager/getSecretVersion:getSecretVersion": secret_version,
}
