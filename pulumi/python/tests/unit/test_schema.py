"""Every input the program passes is a real argument of the pulumi_aws resource (nested dicts too).

Mock mode does not validate resource inputs, so this walks the recorded inputs against the
pulumi_aws Args classes (top level and nested *Args input types) to catch misspelt or misplaced
properties that a real `pulumi up` would reject.
"""

import importlib
import inspect
import re

import pytest

from tests.harness import run_program

ARG_REF = re.compile(r"(\w+Args)\b")


def camel_to_snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def args_class(token):
    module, kind = token.split(":")[1].split("/")[0], token.split(":")[2]
    mod = importlib.import_module("pulumi_aws" if module == "index" else f"pulumi_aws.{module.replace('lambda', 'lambda_')}")
    return mod, getattr(getattr(mod, kind), "_internal_init")


def params(cls):
    fn = cls if inspect.isfunction(cls) else cls.__init__
    sig = inspect.signature(fn)
    return {n: p.annotation for n, p in sig.parameters.items()
            if n not in ("self", "__self__", "resource_name", "opts", "__props__")}


def nested_class(mod, annotation):
    inputs = importlib.import_module(mod.__name__ + "._inputs")
    for name in ARG_REF.findall(str(annotation)):
        if hasattr(inputs, name):
            return getattr(inputs, name)
    return None


def check(mod, cls, value, path, problems):
    allowed = params(cls)
    for key, v in value.items():
        snake = camel_to_snake(key)
        if snake not in allowed:
            problems.append(f"{path}.{key}")
            continue
        sub = nested_class(mod, allowed[snake])
        items = v if isinstance(v, list) else [v]
        for item in items:
            if isinstance(item, dict) and sub is not None:
                check(mod, sub, item, f"{path}.{key}", problems)


@pytest.mark.parametrize("config", [{"environmentSuffix": "sch1", "opsEmails": ["o@example.com"],
                                     "dbDriverLayerArn": "arn:aws:lambda:eu-central-1:1:layer:pg:1"}])
def test_all_inputs_are_pulumi_aws_arguments(config):
    m, _ = run_program(config)
    problems, checked = [], set()
    for r in m.resources:
        if r.typ.startswith("pulumi:providers:"):
            continue
        mod, cls = args_class(r.typ)
        check(mod, cls, r.inputs, r.typ, problems)
        checked.add(r.typ)
    assert not problems, problems
    assert len(checked) > 40  # the walk really covered the program's resource types


def test_walker_catches_a_misspelt_nested_property():
    mod, cls = args_class("aws:ec2/securityGroup:SecurityGroup")
    problems = []
    check(mod, cls, {"ingress": [{"fromPort": 1, "toPortt": 2}], "vpcId": "v", "bogus": 1}, "sg", problems)
    assert problems == ["sg.ingress.toPortt", "sg.bogus"]


@pytest.mark.parametrize("token,value,bad", [
    ("aws:s3/bucketVersioning:BucketVersioning", {"versioningConfiguration": {"statuss": "Enabled"}},
     "versioningConfiguration.statuss"),
    ("aws:sfn/stateMachine:StateMachine", {"loggingConfiguration": {"logDestinationn": "x"}},
     "loggingConfiguration.logDestinationn"),
    ("aws:apigateway/stage:Stage", {"canarySettings": {"percent": 1}}, "canarySettings.percent"),
])
def test_walker_catches_nested_typos_in_other_types(token, value, bad):
    mod, cls = args_class(token)
    problems = []
    check(mod, cls, value, token, problems)
    assert problems == [f"{token}.{bad}"]
