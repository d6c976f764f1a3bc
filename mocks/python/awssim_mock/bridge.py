"""AwssimMocks: Pulumi's mock mode forwarded to awssim.

new_resource (with preview=True nothing is created: ids and attributes are synthesized locally):
  pulumi:providers:aws     remembered (region, credentials, assumeRoles); nothing is called yet
  IAM / Step Functions / Route 53 / DMS / RAM types   real AWS API calls through boto3 on awssim
                           (aws_resources.py), with the credentials of the resource's provider
  anything else            awssim's generic registry (POST /_awssim/resources), completed with
                           AWS-computed attributes (local.py); without a registry on the server the
                           local synthesis alone answers (registry_fallback=True)
call: invokes.py.
A resource created through a provider with assumeRoles is created AS that role: the bridge calls
STS AssumeRole on awssim with the provider's settings (chained in order; trust policy, external
id and session duration limits are awssim's to enforce) and signs with the returned credentials.
Pulumi calls mocks from a thread pool: shared state sits behind one lock, boto3 clients are
created under it and cached per (service, region, credentials).
"""

import json
import os
import secrets as pysecrets
import threading
import time
import uuid

import boto3
import botocore.config
from botocore.exceptions import BotoCoreError, ClientError
from pulumi.runtime import Mocks

from . import aws_resources, invokes, local
from .registry import RegistryClient, RegistryError, RegistryUnavailable
from .util import camelize, parse_duration, strip

DEFAULT_REGION = "eu-central-1"


class BridgeError(RuntimeError):
    """A resource or invoke awssim refused; the message carries AWS's error code and message."""


class Provider:
    def __init__(self, pid, inputs):
        self.id = pid
        self.region = inputs.get("region")
        self.access_key = inputs.get("accessKey")
        self.secret_key = inputs.get("secretKey")
        self.token = inputs.get("token")
        roles = inputs.get("assumeRoles") or inputs.get("assumeRole") or []
        if isinstance(roles, str):
            roles = json.loads(roles)
        if isinstance(roles, dict):
            roles = [roles]
        self.assume_roles = [camelize(r) for r in roles if r and r.get("roleArn", r.get("role_arn"))]
        self.credentials = None  # (access, secret, token, account) once resolved


class Ctx:
    """What a handler sees: clients bound to the region and credentials of its provider."""

    def __init__(self, bridge, region, creds, account):
        self.bridge, self.region, self.creds, self.account = bridge, region, creds, account

    def client(self, service):
        return self.bridge.client(service, self.region, self.creds)

    def autoname(self, base):
        return f"{base}-{pysecrets.token_hex(4)[:7]}"

    def registry_list(self, typ):
        return self.bridge.registry_list(typ, self.account)

    def wait_until(self, what, poll, step=30, limit=3600):
        """Wait like the provider's waiters: poll() until it returns True (it raises on a failed
        state), moving awssim's clock `step` seconds between polls, at most `limit` seconds."""
        if not self.bridge.wait_for_ready:
            return
        waited = 0
        while not poll():
            if waited >= limit:
                raise BridgeError(f"timed out after {limit}s waiting for {what}")
            self.bridge.advance(step)
            waited += step


class AwssimMocks(Mocks):
    def __init__(self, endpoint=None, account=None, region=DEFAULT_REGION, access_key=None, secret_key=None,
                 registry_fallback=True, secrets=None, registry=None, wait_for_ready=True, real_poll_seconds=0.5,
                 preview=False):
        self.endpoint = (endpoint or os.environ.get("AWS_ENDPOINT_URL") or "").rstrip("/")
        if not self.endpoint:
            raise BridgeError("no awssim endpoint: pass endpoint= or set AWS_ENDPOINT_URL")
        self.region = region
        # awssim maps a 12-digit access key id to that account: an explicit account is who we are
        self.base_creds = (access_key or account or os.environ.get("AWS_ACCESS_KEY_ID") or "test",
                           secret_key or os.environ.get("AWS_SECRET_ACCESS_KEY") or "test", None)
        self._account = account
        self.registry = registry or RegistryClient(self.endpoint)
        self.registry_fallback = registry_fallback
        self.registry_available = True
        self.wait_for_ready = wait_for_ready
        self.preview = preview  # preview: nothing is created in awssim, ids and attributes are synthesized
        self.real_poll_seconds = real_poll_seconds
        self.secrets = dict(secrets or {})
        self.providers = {}
        self.created = []  # (type, name, id, state) in creation order
        self._clients = {}
        self._lock = threading.RLock()
        self._config = botocore.config.Config(retries={"max_attempts": 3, "mode": "standard"})

    # ------------------------------------------------------------ plumbing
    def client(self, service, region, creds):
        key = (service, region, creds)
        with self._lock:
            if key not in self._clients:
                session = boto3.session.Session(aws_access_key_id=creds[0], aws_secret_access_key=creds[1],
                                                aws_session_token=creds[2], region_name=region)
                self._clients[key] = session.client(service, endpoint_url=self.endpoint, config=self._config)
            return self._clients[key]

    @property
    def account(self):
        with self._lock:
            if self._account is None:
                ident = self.client("sts", self.region, self.base_creds).get_caller_identity()
                self._account = ident["Account"]
            return self._account

    def advance(self, seconds):
        """Let `seconds` of awssim time pass: advance the virtual clock, or sleep a little when the
        clock is real (or cannot be moved)."""
        try:
            self.registry.advance_clock(seconds)
        except RegistryError:
            time.sleep(self.real_poll_seconds)

    def registry_list(self, typ, account):
        if not self.registry_available:
            return []
        try:
            return self.registry.list(typ, account)
        except RegistryUnavailable:
            return self._registry_gone()

    def _registry_gone(self):
        if not self.registry_fallback:
            raise BridgeError(f"awssim at {self.endpoint} has no generic registry (/_awssim/resources)")
        self.registry_available = False
        return []

    def _provider(self, ref):
        pid = (ref or "").rsplit("::", 1)[-1]
        with self._lock:
            return self.providers.get(pid)

    def _credentials(self, prov):
        """(creds, account) for resources of provider prov (None: the default provider)."""
        if prov is None:
            return self.base_creds, self.account
        with self._lock:
            if prov.credentials is None:
                creds = (prov.access_key, prov.secret_key, prov.token) if prov.access_key else self.base_creds
                account = None
                region = prov.region or self.region
                for role in prov.assume_roles:
                    creds, account = self._assume(creds, region, role)
                if account is None:
                    account = (self.account if creds == self.base_creds
                               else self.client("sts", region, creds).get_caller_identity()["Account"])
                prov.credentials = (creds, account)
            return prov.credentials

    def _assume(self, creds, region, role):
        args = {
            "RoleArn": role["roleArn"],
            "RoleSessionName": role.get("sessionName") or f"pulumi-awssim-{pysecrets.token_hex(4)}",
            "DurationSeconds": parse_duration(role.get("duration")),
            "ExternalId": role.get("externalId"),
            "Policy": role.get("policy"),
            "PolicyArns": [{"arn": a} for a in role.get("policyArns") or []] or None,
            "SourceIdentity": role.get("sourceIdentity"),
            "Tags": [{"Key": k, "Value": v} for k, v in sorted((role.get("tags") or {}).items())] or None,
            "TransitiveTagKeys": role.get("transitiveTagKeys"),
        }
        try:
            resp = self.client("sts", region, creds).assume_role(**{k: v for k, v in args.items() if v is not None})
        except ClientError as exc:
            raise BridgeError(f"provider assumeRole {role['roleArn']}: {_aws_error(exc)}") from exc
        c = resp["Credentials"]
        account = resp["AssumedRoleUser"]["Arn"].split(":")[4]
        return (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"]), account

    # ------------------------------------------------------------ Mocks API
    def new_resource(self, args):
        typ, name = args.typ, args.name
        inputs = strip(args.inputs) or {}
        if typ.startswith("pulumi:providers:"):
            pid = str(uuid.uuid4())
            with self._lock:
                self.providers[pid] = Provider(pid, inputs)
            return pid, inputs
        if args.resource_id:  # .get() of an existing resource: echo what was asked for
            return args.resource_id, {**inputs, "id": args.resource_id}
        prov = self._provider(args.provider)
        region = inputs.get("region") or (prov.region if prov else None) or self.region
        try:
            creds, account = self._credentials(prov)
            ctx = Ctx(self, region, creds, account)
            if self.preview:
                rid, computed = local.synthesize(typ, name, inputs, account, region)
            elif aws_resources.handles(typ):
                rid, computed = aws_resources.create(ctx, typ, name, inputs)
            else:
                named = local.autoname(typ, name, inputs, pysecrets.token_hex(13))
                rid, computed = self._generic(typ, name, named, account, region)
                computed = {**{k: v for k, v in named.items() if k not in inputs}, **computed}
        except ClientError as exc:
            raise BridgeError(f"{typ} {name!r}: {_aws_error(exc)}") from exc
        except (BotoCoreError, aws_resources.ResourceFailed) as exc:
            raise BridgeError(f"{typ} {name!r}: {exc}") from exc
        # inputs as given (assets kept) win over echoes of them; computed attributes complete them
        state = {**computed, **strip(args.inputs, keep_assets=True), "id": rid}
        if "arn" in computed:
            state["arn"] = computed["arn"]
        if "region" not in state and typ.startswith("aws:"):
            state["region"] = region
        with self._lock:
            self.created.append((typ, name, rid, state))
        return rid, state

    def _generic(self, typ, name, inputs, account, region):
        answer = None
        if self.registry_available:
            try:
                answer = self.registry.create(typ, name, inputs, account, region)
            except RegistryUnavailable:
                self._registry_gone()
        if answer is None:
            return local.synthesize(typ, name, inputs, account, region)
        rid, computed = local.synthesize(typ, name, inputs, account, region, rid=answer.get("id") or None)
        rid = answer.get("id") or rid  # the registry's id is authoritative
        computed = {**computed, **(answer.get("state") or {})}
        if answer.get("arn"):
            computed["arn"] = answer["arn"]
        return rid, computed

    def call(self, args):
        fn = invokes.INVOKES.get(args.token)
        if fn is None:
            raise BridgeError(f"invoke {args.token} is not supported by the awssim bridge")
        prov = self._provider(args.provider)
        a = strip(args.args) or {}
        try:
            creds, account = self._credentials(prov)
            region = (prov.region if prov else None) or self.region
            return fn(Ctx(self, region, creds, account), a)
        except ClientError as exc:
            raise BridgeError(f"invoke {args.token}: {_aws_error(exc)}") from exc
        except invokes.InvokeError as exc:
            raise BridgeError(f"invoke {args.token}: {exc}") from exc

    # ------------------------------------------------------------ helpers for tests / deploy
    def add_secret(self, name, value, arn=None):
        """Make an existing Secrets Manager entry visible to getSecret/getSecretVersion."""
        with self._lock:
            self.secrets[name] = {"arn": arn, "secretString": value if isinstance(value, str) else json.dumps(value)}

    def of_type(self, typ):
        with self._lock:
            return [c for c in self.created if c[0] == typ]


def _aws_error(exc):
    err = exc.response.get("Error", {})
    return f"{err.get('Code', 'Error')}: {err.get('Message', str(exc))}"
