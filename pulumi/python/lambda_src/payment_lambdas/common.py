"""Helpers shared by the handlers: structured logging, boto3 clients, environment.

Log lines are single JSON objects ({"level", "event", ...}) so the CloudWatch metric filters of
the stack ({ $.event = "validation_mismatch" }, { $.level = "ERROR" }, ...) can count them.
boto3 honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which is how tests point it at awssim.
"""

import json
import os
import sys

import boto3

_clients = {}


def log(level, event, **fields):
    print(json.dumps({"level": level, "event": event, **fields}, sort_keys=True, default=str), file=sys.stdout)


def client(service):
    """Cached boto3 client (region from AWS_REGION like the Lambda runtime)."""
    if service not in _clients:
        _clients[service] = boto3.client(service)
    return _clients[service]


def reset_clients():
    _clients.clear()


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        raise KeyError(f"environment variable {name} is not set")
    return value
