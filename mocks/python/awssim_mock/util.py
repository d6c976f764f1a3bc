"""Value plumbing between Pulumi's mock monitor and AWS/awssim: unwrapping, names, durations."""

import re

import pulumi
from pulumi.output import Unknown

SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
SIG_KEY = "4dabf18193072939515e22adb298388d"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def strip(value, keep_assets=False):
    """Remove secret wrappers, turn unknowns into None, integral floats into ints, resource
    references into their id and assets/archives into plain JSON descriptions (kept as they are
    with keep_assets, for state handed back to Pulumi), recursively."""
    if isinstance(value, Unknown) or value == UNKNOWN:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the monitor decodes every number as float; AWS integers must be ints
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            return strip(value.get("value"), keep_assets)
        if sig == RESOURCE_SIG:
            return strip(value.get("id") or value.get("urn"), keep_assets)
        return {k: strip(v, keep_assets) for k, v in value.items() if k != SIG_KEY}
    if isinstance(value, (list, tuple)):
        return [strip(v, keep_assets) for v in value]
    if keep_assets and isinstance(value, (pulumi.Asset, pulumi.Archive)):
        return value
    if isinstance(value, pulumi.AssetArchive):
        return {"assets": {k: strip(v) for k, v in value.assets.items()}}
    if isinstance(value, (pulumi.FileArchive, pulumi.FileAsset)):
        return {"path": value.path}
    if isinstance(value, pulumi.StringAsset):
        return {"text": value.text}
    if isinstance(value, (pulumi.RemoteArchive, pulumi.RemoteAsset)):
        return {"uri": value.uri}
    return value


def snake_to_camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def camelize(value):
    """Keys of nested dicts to camelCase (provider inputs given as snake_case dicts)."""
    if isinstance(value, dict):
        return {snake_to_camel(k): camelize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camelize(v) for v in value]
    return value


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_duration(text):
    """Seconds in a Go duration string ("1h", "90m", "1h30m"); plain numbers are seconds."""
    if text is None or text == "":
        return None
    if isinstance(text, (int, float)):
        return int(text)
    text = str(text).strip()
    if text.isdigit():
        return int(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(a + b for a, b in parts) != text:
        raise ValueError(f"invalid duration {text!r}")
    return int(sum(float(n) * _UNIT_SECONDS[u] for n, u in parts))


def tags_list(tags, key="Key", value="Value"):
    return [{key: k, value: v} for k, v in sorted((tags or {}).items())]


def drop_none(d):
    """Copy of d without None values (boto3 rejects None parameters)."""
    return {k: v for k, v in d.items() if v is not None}
