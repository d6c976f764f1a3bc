import json
import sys
import types

import pytest
from botocore.exceptions import ClientError

from payment_lambdas import data_access, rotation

DB = {"engine": "postgres", "host": "db", "port": 5432, "username": "payments_admin", "password": "old",
      "dbname": "payments"}


class Cursor:
    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql, params=None):
        self.conn.executed.append((sql, params))
        if self.conn.fail:
            raise RuntimeError("auth failed")

    def fetchone(self):
        return (self.conn.result,)

    def close(self):
        self.conn.closed_cursors += 1


class Conn:
    def __init__(self, result=1, fail=False):
        self.executed, self.result, self.fail = [], result, fail
        self.closed_cursors = self.commits = self.closes = 0

    def cursor(self):
        return Cursor(self)

    def commit(self):
        self.commits += 1

    def close(self):
        self.closes += 1


class Driver:
    def __init__(self, conn):
        self.conn, self.kwargs = conn, []

    def connect(self, **kw):
        self.kwargs.append(kw)
        return self.conn


class SM:
    """In-memory Secrets Manager with the rotation API surface (state machine of versions)."""

    def __init__(self, value, enabled=True):
        self.versions = {"v1": (json.dumps(value), ["AWSCURRENT"])}
        self.enabled = enabled

    def describe_secret(self, SecretId):
        return {"RotationEnabled": self.enabled,
                "VersionIdsToStages": {v: st for v, (_, st) in self.versions.items()}}

    def get_secret_value(self, SecretId, VersionStage, VersionId=None):
        for v, (val, st) in self.versions.items():
            if VersionStage in st and (VersionId is None or VersionId == v):
                return {"SecretString": val}
        raise ClientError({"Error": {"Code": "ResourceNotFoundException"}}, "GetSecretValue")

    def get_random_password(self, PasswordLength, ExcludeCharacters):
        return {"RandomPassword": "N" * PasswordLength}

    def put_secret_value(self, SecretId, ClientRequestToken, SecretString, VersionStages):
        self.versions[ClientRequestToken] = (SecretString, VersionStages)

    def update_secret_version_stage(self, SecretId, VersionStage, MoveToVersionId, RemoveFromVersionId):
        self.versions[RemoveFromVersionId] = (self.versions[RemoveFromVersionId][0], ["AWSPREVIOUS"])
        self.versions[MoveToVersionId] = (self.versions[MoveToVersionId][0], [VersionStage])


def rotate(sm, driver, token="v2"):
    r = rotation.Rotator(sm, driver)
    out = []
    sm.versions.setdefault(token, (None, []))  # Secrets Manager registers the version before calling
    for step in ("createSecret", "setSecret", "testSecret", "finishSecret"):
        out.append(rotation.handler({"SecretId": "arn:s", "ClientRequestToken": token, "Step": step}, None, r))
    return [o["result"] for o in out]


def test_database_secret_full_rotation():
    sm, conn = SM(DB), Conn()
    results = rotate(sm, Driver(conn))
    assert results == ["created", "set", "tested", "finished"]
    assert json.loads(sm.versions["v2"][0])["password"] == "N" * 40 and sm.versions["v2"][1] == ["AWSCURRENT"]
    assert conn.executed[0] == ('ALTER ROLE "payments_admin" WITH PASSWORD %s', ("N" * 40,))
    assert conn.commits == 1 and conn.closes == 2


def test_token_secret_rotation_needs_no_database():
    sm = SM({"token": "abc"})
    assert rotate(sm, None) == ["created", "not-a-database", "not-a-database", "finished"]
    assert json.loads(sm.versions["v2"][0])["token"] == "N" * 40


def test_create_is_idempotent_and_finish_when_current():
    sm = SM({"token": "abc"})
    sm.versions["v2"] = ("{}", ["AWSPENDING"])
    r = rotation.Rotator(sm)
    assert r.create("arn:s", "v2") == "exists"
    assert r.finish("arn:s", "v1") == "already-current"


def test_already_current_version_is_skipped():
    sm = SM({"token": "abc"})
    out = rotation.handler({"SecretId": "arn:s", "ClientRequestToken": "v1", "Step": "setSecret"}, None,
                           rotation.Rotator(sm))
    assert out == {"step": "setSecret", "result": "already-current"}


@pytest.mark.parametrize("event,match", [
    ({"SecretId": "a", "ClientRequestToken": "t", "Step": "bogus"}, "unknown rotation step"),
])
def test_bad_step(event, match):
    with pytest.raises(ValueError, match=match):
        rotation.handler(event, None, object())


def test_rotation_disabled_or_unknown_version():
    with pytest.raises(ValueError, match="not enabled"):
        rotation.Rotator(SM(DB, enabled=False)).check("arn:s", "v1")
    with pytest.raises(ValueError, match="no stage"):
        rotation.Rotator(SM(DB)).check("arn:s", "vX")


def test_create_propagates_other_errors():
    class Broken(SM):
        def get_secret_value(self, SecretId, VersionStage, VersionId=None):
            if VersionStage == "AWSPENDING":
                raise ClientError({"Error": {"Code": "AccessDeniedException"}}, "GetSecretValue")
            return super().get_secret_value(SecretId, VersionStage, VersionId)

    with pytest.raises(ClientError):
        rotation.Rotator(Broken(DB)).create("arn:s", "v2")


def test_failed_test_step_closes_connection():
    sm, conn = SM(DB), Conn(fail=True)
    sm.versions["v2"] = (json.dumps({**DB, "password": "new"}), ["AWSPENDING"])
    with pytest.raises(RuntimeError):
        rotation.Rotator(sm, Driver(conn)).test("arn:s", "v2")
    assert conn.closes == 1


def test_default_rotator_uses_secretsmanager_client(monkeypatch):
    sm = SM({"token": "abc"})
    monkeypatch.setattr(rotation.common, "client", lambda name: sm)
    out = rotation.handler({"SecretId": "arn:s", "ClientRequestToken": "v1", "Step": "finishSecret"}, None)
    assert out["result"] == "already-current"


def test_postgres_source_counts_and_checksums():
    conn = Conn(result=42)
    src = data_access.PostgresSource(conn)
    assert src.row_count("payments") == 42
    conn.result = "abc"
    assert src.checksum("payments") == "abc"
    assert conn.executed[0][0] == 'SELECT count(*) FROM "payments"."payments"'
    assert "md5(string_agg" in conn.executed[1][0] and conn.closed_cursors == 2
    with pytest.raises(ValueError, match="invalid SQL identifier"):
        src.row_count("x; DROP TABLE y")


def test_connect_uses_pg8000_module_by_default(monkeypatch):
    conn = Conn()
    fake = types.ModuleType("pg8000.dbapi")
    fake.connect = Driver(conn).connect
    monkeypatch.setitem(sys.modules, "pg8000", types.ModuleType("pg8000"))
    monkeypatch.setitem(sys.modules, "pg8000.dbapi", fake)
    assert data_access.connect(DB) is conn


def test_connect_from_secret():
    sm = SM(DB)
    driver = Driver(Conn())
    data_access.connect_from_secret(sm, "arn:s", driver)
    kw = driver.kwargs[0]
    assert (kw["host"], kw["port"], kw["user"], kw["database"]) == ("db", 5432, "payments_admin", "payments")
    assert kw["ssl_context"] is not None
