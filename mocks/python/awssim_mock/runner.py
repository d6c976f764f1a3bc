"""Run a Pulumi program directory in mock mode in this process and collect its stack outputs.

The program's directory goes first on sys.path (so its packages import as under `pulumi up`),
config comes from Pulumi.<stack>.yaml when present (secure values skipped) overridden by the
given config, keys without a namespace getting the project's, and the program's
__main__.py runs inside the Pulumi runtime until every resource registration has finished.
"""

import json
import os
import runpy
import sys

import yaml

import pulumi
from pulumi.runtime.settings import ROOT, SETTINGS
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await


def project_name(program_dir):
    with open(os.path.join(program_dir, "Pulumi.yaml"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("name:"):
                return line.split(":", 1)[1].strip().strip("'\"")
    raise ValueError(f"{program_dir}/Pulumi.yaml has no name")


def stack_config(program_dir, stack):
    """Plain (non-secure) values of Pulumi.<stack>.yaml, when the program has one."""
    path = os.path.join(program_dir, f"Pulumi.{stack}.yaml")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    return {k: v for k, v in (doc.get("config") or {}).items() if not (isinstance(v, dict) and "secure" in v)}


def config_map(project, config):
    out = {}
    for key, value in (config or {}).items():
        full = key if ":" in key else f"{project}:{key}"
        out[full] = value if isinstance(value, str) else json.dumps(value)
    return out


def run_program(program_dir, mocks, stack="dev", config=None, preview=False):
    """Run the program against `mocks`; returns its resolved stack outputs (dict)."""
    program_dir = os.path.abspath(program_dir)
    project = project_name(program_dir)
    pulumi.runtime.set_all_config({**config_map(project, stack_config(program_dir, stack)),
                                   **config_map(project, config)})
    ROOT.set(None)  # a new root stack per run: outputs of an earlier run in this process must not leak
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview)
    SETTINGS.rpc_manager.clear()
    SETTINGS.outputs.clear()
    if program_dir not in sys.path:
        sys.path.insert(0, program_dir)

    def program():
        runpy.run_path(os.path.join(program_dir, "__main__.py"), run_name="__main__")

    _sync_await(run_pulumi_func(program))
    outputs = pulumi.runtime.get_root_resource().outputs
    return _sync_await(pulumi.Output.from_input(outputs).future())


def flatten(outputs):
    """CloudFormation-style flat outputs: every value a string (non-strings as JSON)."""
    return {k: v if isinstance(v, str) else json.dumps(v, sort_keys=True) for k, v in sorted(outputs.items())}
