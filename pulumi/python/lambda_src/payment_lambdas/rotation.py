"""Secrets Manager rotation Lambda for every credential of the migration.

Implements the four-step rotation protocol (createSecret, setSecret, testSecret, finishSecret):
  database secrets (they carry "username" and "host"): a new password is generated, set with
      ALTER ROLE through the data-access connection opened with the CURRENT credentials, and
      tested by connecting with the PENDING ones;
  token secrets (API authorizer, they carry "token"): a new random token is generated; nothing
      to set elsewhere, the authorizer accepts CURRENT and PENDING during the switch.
"""

import json

from botocore.exceptions import ClientError

from . import common, data_access

EXCLUDE = "/@\"'\\ "


def _is_db(secret):
    return "username" in secret and "host" in secret


class Rotator:
    def __init__(self, sm, driver=None):
        self.sm = sm
        self.driver = driver

    def _get(self, arn, stage, token=None):
        kwargs = {"SecretId": arn, "VersionStage": stage}
        if token:
            kwargs = {"SecretId": arn, "VersionId": token, "VersionStage": stage}
        return json.loads(self.sm.get_secret_value(**kwargs)["SecretString"])

    def check(self, arn, token):
        meta = self.sm.describe_secret(SecretId=arn)
        if not meta.get("RotationEnabled"):
            raise ValueError(f"rotation is not enabled for {arn}")
        stages = meta.get("VersionIdsToStages", {})
        if token not in stages:
            raise ValueError(f"version {token} has no stage for rotation of {arn}")
        return stages[token]

    def create(self, arn, token):
        current = self._get(arn, "AWSCURRENT")
        try:
            self._get(arn, "AWSPENDING", token)
            return "exists"
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
        field = "password" if _is_db(current) else "token"
        new = self.sm.get_random_password(PasswordLength=40, ExcludeCharacters=EXCLUDE)["RandomPassword"]
        self.sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                 SecretString=json.dumps({**current, field: new}), VersionStages=["AWSPENDING"])
        return "created"

    def set(self, arn, token):
        pending = self._get(arn, "AWSPENDING", token)
        if not _is_db(pending):
            return "not-a-database"
        current = self._get(arn, "AWSCURRENT")
        conn = data_access.connect(current, self.driver)
        try:
            cur = conn.cursor()
            cur.execute(f'ALTER ROLE "{pending["username"]}" WITH PASSWORD %s', (pending["password"],))
            conn.commit()
        finally:
            conn.close()
        return "set"

    def test(self, arn, token):
        pending = self._get(arn, "AWSPENDING", token)
        if not _is_db(pending):
            return "not-a-database"
        conn = data_access.connect(pending, self.driver)
        try:
            cur = conn.cursor()
            cur.execute("SELECT 1")
            cur.fetchone()
        finally:
            conn.close()
        return "tested"

    def finish(self, arn, token):
        meta = self.sm.describe_secret(SecretId=arn)
        current_version = next(
            (v for v, stages in meta["VersionIdsToStages"].items() if "AWSCURRENT" in stages), None
        )
        if current_version == token:
            return "already-current"
        self.sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                            MoveToVersionId=token, RemoveFromVersionId=current_version)
        return "finished"


STEPS = {"createSecret": "create", "setSecret": "set", "testSecret": "test", "finishSecret": "finish"}


def handler(event, context, rotator=None):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    if step not in STEPS:
        raise ValueError(f"unknown rotation step {step!r}")
    rotator = rotator or Rotator(common.client("secretsmanager"))
    stages = rotator.check(arn, token)
    if "AWSCURRENT" in stages and step != "finishSecret":
        common.log("INFO", "rotation_skipped", step=step, reason="version already current")
        return {"step": step, "result": "already-current"}
    result = getattr(rotator, STEPS[step])(arn, token)
    common.log("INFO", "rotation_step", step=step, result=result)
    return {"step": step, "result": result}
