"""The small data-access interface validation (and rotation) use to talk to PostgreSQL.

TableSource is what validation needs: row counts and an order-independent checksum per table.
PostgresSource implements it with SQL over a DB-API connection; connect_from_secret() opens one
with pg8000 (shipped as a Lambda layer) using a Secrets Manager secret's host/port/credentials.
"""

import importlib
import json
import ssl
from abc import ABC, abstractmethod

DRIVER_MODULE = "pg8000.dbapi"  # pure-Python driver, shipped in the Lambda layer
COUNT_SQL = "SELECT count(*) FROM {schema}.{table}"
# md5 over the sorted md5 of every row's text form: equal contents give equal checksums whatever
# the physical order, different contents differ.
CHECKSUM_SQL = (
    "SELECT coalesce(md5(string_agg(h, '' ORDER BY h)), md5('')) "
    "FROM (SELECT md5(t::text) AS h FROM {schema}.{table} t) s"
)


def _ident(name):
    if not name.replace("_", "").isalnum():
        raise ValueError(f"invalid SQL identifier {name!r}")
    return f'"{name}"'


class TableSource(ABC):
    @abstractmethod
    def row_count(self, table):
        """Number of rows in `table`."""

    @abstractmethod
    def checksum(self, table):
        """Order-independent checksum of the table contents (hex string)."""


class PostgresSource(TableSource):
    def __init__(self, connection, schema="payments"):
        self.connection = connection
        self.schema = _ident(schema)

    def _scalar(self, sql, table):
        cur = self.connection.cursor()
        try:
            cur.execute(sql.format(schema=self.schema, table=_ident(table)))
            return cur.fetchone()[0]
        finally:
            cur.close()

    def row_count(self, table):
        return int(self._scalar(COUNT_SQL, table))

    def checksum(self, table):
        return str(self._scalar(CHECKSUM_SQL, table))


def secret_value(secrets_client, secret_id, stage="AWSCURRENT"):
    resp = secrets_client.get_secret_value(SecretId=secret_id, VersionStage=stage)
    return json.loads(resp["SecretString"])


def connect(secret, driver=None):
    """DB-API connection for a secret shaped like the RDS rotation secrets (host, port, ...)."""
    if driver is None:
        driver = importlib.import_module(DRIVER_MODULE)
    return driver.connect(
        host=secret["host"],
        port=int(secret.get("port", 5432)),
        database=secret.get("dbname", "payments"),
        user=secret["username"],
        password=secret["password"],
        ssl_context=ssl.create_default_context(),
        timeout=10,
    )


def connect_from_secret(secrets_client, secret_id, driver=None, stage="AWSCURRENT"):
    return connect(secret_value(secrets_client, secret_id, stage), driver)
