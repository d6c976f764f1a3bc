"""Step Functions through real clients (boto3 and the AWS CLI): every operation once, AWS's errors,
executions on the virtual clock, task tokens, activities, mock config, message log."""
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/sfn"
ACCOUNT = "123456789012"


def d(obj):
    return json.dumps(obj)


PASS = d({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": True}, "End": True}}})
WAIT = d({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "Next": "P"},
                                     "P": {"Type": "Pass", "End": True}}})


def err_code(exc):
    return exc.value.response["Error"]["Code"]


@pytest.fixture
def sfn(awssim):
    # StartSyncExecution and TestState carry the endpoint host prefix "sync-"; a local endpoint needs it off
    return boto3.client("stepfunctions", endpoint_url=awssim.url, region_name="us-east-1",
                        aws_access_key_id=ACCOUNT, aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, inject_host_prefix=False))


def test_state_machine_crud_versions_aliases(sfn):
    r = sfn.create_state_machine(name="m", definition=PASS, roleArn=ROLE, publish=True,
                                 tags=[{"key": "team", "value": "a"}])
    arn = r["stateMachineArn"]
    assert arn == f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:m"
    assert r["stateMachineVersionArn"] == arn + ":1"
    desc = sfn.describe_state_machine(stateMachineArn=arn)
    assert desc["definition"] == PASS and desc["status"] == "ACTIVE" and desc["type"] == "STANDARD"
    assert desc["creationDate"].year >= 2020
    up = sfn.update_state_machine(stateMachineArn=arn, definition=WAIT, publish=True, versionDescription="two")
    assert up["stateMachineVersionArn"] == arn + ":2"
    pub = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=up["revisionId"])
    assert pub["stateMachineVersionArn"] == arn + ":2"  # same revision -> same version
    versions = sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [arn + ":2", arn + ":1"]
    al = sfn.create_state_machine_alias(name="prod", routingConfiguration=[
        {"stateMachineVersionArn": arn + ":1", "weight": 100}])
    assert al["stateMachineAliasArn"] == arn + ":prod"
    sfn.update_state_machine_alias(stateMachineAliasArn=arn + ":prod", description="d")
    assert sfn.describe_state_machine_alias(stateMachineAliasArn=arn + ":prod")["description"] == "d"
    assert len(sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]) == 1
    with pytest.raises(ClientError) as e:
        sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")
    assert err_code(e) == "ConflictException"
    sfn.delete_state_machine_alias(stateMachineAliasArn=arn + ":prod")
    sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":1")
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "dev"}])
    sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "env", "value": "dev"}]
    assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["m"]
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert err_code(e) == "StateMachineDoesNotExist"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize("definition,code_text", [
    ({"States": {"A": {"Type": "Pass", "End": True}}}, "These fields are required: [StartAt]"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}}, "MISSING_TRANSITION_TARGET"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}, "B": {"Type": "Succeed"}}}, "UNREACHABLE_STATE"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass"}}}, "[Next]"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "OutputPath": "x", "End": True}}}, "INVALID_JSON_PATH"),
    ({"StartAt": "A", "States": {"A": {"Type": "Wait", "Resource": "arn:aws:lambda:x", "Seconds": 1, "End": True}}},
     "Field 'Resource' is not supported"),
])
def test_invalid_definitions(sfn, definition, code_text):
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="bad", definition=d(definition), roleArn=ROLE)
    assert err_code(e) == "InvalidDefinition"
    msg = e.value.response["Error"]["Message"]
    assert msg.startswith("Invalid State Machine Definition: '") and code_text in msg


def test_create_errors(sfn):
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="m", definition=PASS, roleArn="arn:aws:iam::12:role/x")
    assert err_code(e) == "InvalidArn"
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="has space", definition=PASS, roleArn=ROLE)
    assert err_code(e) == "InvalidName"
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="big", definition="{" + " " * (1024 * 1024 + 10) + "}", roleArn=ROLE)
    assert err_code(e) in ("InvalidDefinition", "ValidationException")
    sfn.create_state_machine(name="m", definition=PASS, roleArn=ROLE)
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="m", definition=WAIT, roleArn=ROLE)
    assert err_code(e) == "StateMachineAlreadyExists"


def test_validate_definition(sfn):
    ok = sfn.validate_state_machine_definition(definition=PASS)
    assert ok["result"] == "OK" and ok["diagnostics"] == []
    bad = sfn.validate_state_machine_definition(
        definition=d({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Z"}}}))
    assert bad["result"] == "FAIL"
    assert bad["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"
    assert bad["diagnostics"][0]["location"] == "/States/A/Next"


def test_executions_wait_on_virtual_clock(awssim, sfn):
    arn = sfn.create_state_machine(name="w", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, name="e1", input=d({"k": 1}))
    again = sfn.start_execution(stateMachineArn=arn, name="e1", input=d({"k": 1}))
    assert again["executionArn"] == ex["executionArn"]
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=arn, name="e1", input=d({"k": 2}))
    assert err_code(e) == "ExecutionAlreadyExists"
    assert sfn.describe_execution(executionArn=ex["executionArn"])["status"] == "RUNNING"
    awssim.advance(29)
    assert sfn.describe_execution(executionArn=ex["executionArn"])["status"] == "RUNNING"
    awssim.advance(1)
    desc = sfn.describe_execution(executionArn=ex["executionArn"])
    assert desc["status"] == "SUCCEEDED" and json.loads(desc["output"]) == {"k": 1}
    assert (desc["stopDate"] - desc["startDate"]).total_seconds() == 30
    hist = sfn.get_execution_history(executionArn=ex["executionArn"])["events"]
    assert [h["type"] for h in hist] == ["ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                         "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    assert [h["previousEventId"] for h in hist] == [0, 0, 2, 3, 4, 5]
    page = sfn.get_execution_history(executionArn=ex["executionArn"], maxResults=2, reverseOrder=True)
    assert [h["id"] for h in page["events"]] == [6, 5] and page["nextToken"]
    page2 = sfn.get_execution_history(executionArn=ex["executionArn"], maxResults=2, reverseOrder=True,
                                      nextToken=page["nextToken"])
    assert [h["id"] for h in page2["events"]] == [4, 3]
    # paginate through list_executions
    for i in range(3):
        sfn.start_execution(stateMachineArn=arn, name=f"p{i}")
    running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
    assert len(running) == 3
    pages = list(sfn.get_paginator("list_executions").paginate(stateMachineArn=arn, PaginationConfig={"PageSize": 2}))
    assert sum(len(p["executions"]) for p in pages) == 4 and len(pages) == 2
    sfe = sfn.describe_state_machine_for_execution(executionArn=ex["executionArn"])
    assert sfe["definition"] == WAIT


def test_stop_and_redrive(awssim, sfn):
    arn = sfn.create_state_machine(name="w", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.stop_execution(executionArn=ex, error="Manual", cause="stopped by test")
    desc = sfn.describe_execution(executionArn=ex)
    assert desc["status"] == "ABORTED" and desc["error"] == "Manual"
    assert desc["redriveStatus"] == "REDRIVABLE"
    sfn.redrive_execution(executionArn=ex)
    awssim.advance(30)
    desc = sfn.describe_execution(executionArn=ex)
    assert desc["status"] == "SUCCEEDED" and desc["redriveCount"] == 1
    with pytest.raises(ClientError) as e:
        sfn.redrive_execution(executionArn=ex)
    assert err_code(e) == "ExecutionNotRedrivable"
    with pytest.raises(ClientError) as e:
        sfn.describe_execution(executionArn=ex + "x")
    assert err_code(e) == "ExecutionDoesNotExist"


def test_express_sync(sfn):
    arn = sfn.create_state_machine(name="x", type="EXPRESS", roleArn=ROLE, definition=d({
        "StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {
            "greeting.$": "States.Format('Hello {}', $.name)", "n.$": "States.ArrayLength($.list)"}, "End": True}}}))[
        "stateMachineArn"]
    r = sfn.start_sync_execution(stateMachineArn=arn, input=d({"name": "Ada", "list": [1, 2, 3]}))
    assert r["status"] == "SUCCEEDED"
    assert json.loads(r["output"]) == {"greeting": "Hello Ada", "n": 3}
    assert ":express:x:" in r["executionArn"]
    std = sfn.create_state_machine(name="s", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    with pytest.raises(ClientError) as e:
        sfn.start_sync_execution(stateMachineArn=std)
    assert err_code(e) == "StateMachineTypeNotSupported"


def test_task_token_and_message_log(awssim, sfn):
    arn = sfn.create_state_machine(name="tok", roleArn=ROLE, definition=d({
        "StartAt": "Send", "States": {
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                     "Parameters": {"QueueUrl": "https://sqs/q", "MessageBody": {"token.$": "$$.Task.Token"}},
                     "Next": "Notify"},
            "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                       "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.r"},
                       "ResultPath": "$.pub", "End": True}}}))["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    status, body = awssim.control("GET", "messages")
    assert status == 200
    msgs = body["messages"]
    assert len(msgs) == 1 and msgs[0]["resource"].endswith("sqs:sendMessage.waitForTaskToken")
    assert msgs[0]["executionArn"] == ex and msgs[0]["account"] == ACCOUNT
    token = msgs[0]["parameters"]["MessageBody"]["token"]
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken="nope", output="{}")
    assert err_code(e) == "InvalidToken"
    with pytest.raises(ClientError) as e:
        sfn.send_task_success(taskToken=token, output="{not json")
    assert err_code(e) == "InvalidOutput"
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output=d({"r": "done"}))
    desc = sfn.describe_execution(executionArn=ex)
    assert desc["status"] == "SUCCEEDED"
    out = json.loads(desc["output"])
    assert out["r"] == "done" and "MessageId" in out["pub"]
    with pytest.raises(ClientError) as e:
        sfn.send_task_failure(taskToken=token, error="x")
    assert err_code(e) == "TaskDoesNotExist"
    assert len(awssim.control("GET", "messages")[1]["messages"]) == 2


def test_activities(awssim, sfn):
    act = sfn.create_activity(name="work")["activityArn"]
    assert sfn.describe_activity(activityArn=act)["name"] == "work"
    assert len(sfn.list_activities()["activities"]) == 1
    arn = sfn.create_state_machine(name="a", roleArn=ROLE, definition=d({
        "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "TimeoutSeconds": 60, "End": True}}}))[
        "stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, input=d({"job": 1}))["executionArn"]
    task = sfn.get_activity_task(activityArn=act, workerName="w")
    assert json.loads(task["input"]) == {"job": 1}
    sfn.send_task_success(taskToken=task["taskToken"], output=d({"res": 2}))
    assert json.loads(sfn.describe_execution(executionArn=ex)["output"]) == {"res": 2}
    ex2 = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    awssim.advance(60)
    desc = sfn.describe_execution(executionArn=ex2)
    assert desc["status"] == "FAILED" and desc["error"] == "States.Timeout"
    sfn.delete_activity(activityArn=act)
    with pytest.raises(ClientError) as e:
        sfn.describe_activity(activityArn=act)
    assert err_code(e) == "ActivityDoesNotExist"


def test_mock_config_lambda(awssim, sfn):
    cfg = {"StateMachines": {"lam": {"TestCases": {"Happy": {"Invoke": "Ok"}}}},
           "MockedResponses": {"Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"sum": 3}}}}}}
    status, _ = awssim.control("PUT", "sfn/mock-config", cfg)
    assert status == 200
    arn = sfn.create_state_machine(name="lam", roleArn=ROLE, definition=d({
        "StartAt": "Invoke", "States": {"Invoke": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:add", "Payload.$": "$"},
            "OutputPath": "$.Payload", "End": True}}}))["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn + "#Happy")["executionArn"]
    assert json.loads(sfn.describe_execution(executionArn=ex)["output"]) == {"sum": 3}
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    desc = sfn.describe_execution(executionArn=ex)
    assert desc["status"] == "FAILED" and desc["error"] == "Lambda.ResourceNotFoundException"


def test_aws_sdk_integration_sts(sfn):
    arn = sfn.create_state_machine(name="sdk", roleArn=ROLE, definition=d({
        "StartAt": "Who", "States": {"Who": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sts:getCallerIdentity",
                                             "End": True}}}))["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    desc = sfn.describe_execution(executionArn=ex)
    assert desc["status"] == "SUCCEEDED", desc
    assert json.loads(desc["output"])["Account"] == ACCOUNT


def test_map_runs_and_test_state(sfn):
    r = sfn.test_state(definition=d({"Type": "Pass", "Parameters": {"v.$": "$.a"}, "Next": "N"}), roleArn=ROLE,
                       input=d({"a": 1}))
    assert r["status"] == "SUCCEEDED" and r["nextState"] == "N" and json.loads(r["output"]) == {"v": 1}
    r = sfn.test_state(definition=d({"Type": "Choice", "Choices": [
        {"Variable": "$.a", "NumericEquals": 1, "Next": "One"}], "Default": "Other"}), roleArn=ROLE, input=d({"a": 1}))
    assert r["nextState"] == "One"
    arn = sfn.create_state_machine(name="m", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert sfn.list_map_runs(executionArn=ex)["mapRuns"] == []
    with pytest.raises(ClientError) as e:
        sfn.describe_map_run(mapRunArn=f"arn:aws:states:us-east-1:{ACCOUNT}:mapRun:m/e:x")
    assert err_code(e) == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        sfn.update_map_run(mapRunArn=f"arn:aws:states:us-east-1:{ACCOUNT}:mapRun:m/e:x", maxConcurrency=1)
    assert err_code(e) == "ResourceNotFound"
    dist = sfn.create_state_machine(name="dist", roleArn=ROLE, definition=d({
        "StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, "End": True}}}))["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=dist, input=d([1, 2, 3]))["executionArn"]
    assert json.loads(sfn.describe_execution(executionArn=ex)["output"]) == [1, 2, 3]
    runs = sfn.list_map_runs(executionArn=ex)["mapRuns"]
    assert len(runs) == 1
    mr = sfn.describe_map_run(mapRunArn=runs[0]["mapRunArn"])
    assert mr["status"] == "SUCCEEDED" and mr["itemCounts"]["succeeded"] == 3
    sfn.update_map_run(mapRunArn=runs[0]["mapRunArn"], maxConcurrency=10)
    assert sfn.describe_map_run(mapRunArn=runs[0]["mapRunArn"])["maxConcurrency"] == 10


def test_bad_runtime_input_leaves_others_unharmed(sfn):
    arn = sfn.create_state_machine(name="rt", roleArn=ROLE, definition=d({
        "StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.missing", "End": True}}}))["stateMachineArn"]
    ok = sfn.create_state_machine(name="ok", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    bad = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    good = sfn.start_execution(stateMachineArn=ok)["executionArn"]
    assert sfn.describe_execution(executionArn=bad)["error"] == "States.Runtime"
    assert sfn.describe_execution(executionArn=good)["status"] == "SUCCEEDED"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=ok, input="{oops")
    assert err_code(e) == "InvalidExecutionInput"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=ok, input=d({"x": "y" * 262144}))
    assert err_code(e) in ("InvalidExecutionInput", "ValidationException")


def test_cli_round_trip(awssim):
    r = awssim.cli("stepfunctions", "create-state-machine", "--name", "cli", "--definition", PASS,
                   "--role-arn", ROLE, check=True)
    arn = r.json["stateMachineArn"]
    ex = awssim.cli("stepfunctions", "start-execution", "--state-machine-arn", arn, "--input", '{"a":1}',
                    check=True).json["executionArn"]
    desc = awssim.cli("stepfunctions", "describe-execution", "--execution-arn", ex, check=True).json
    assert desc["status"] == "SUCCEEDED" and json.loads(desc["output"]) == {"ok": True}
    hist = awssim.cli("stepfunctions", "get-execution-history", "--execution-arn", ex, check=True).json
    assert hist["events"][-1]["type"] == "ExecutionSucceeded"
    bad = awssim.cli("stepfunctions", "describe-state-machine", "--state-machine-arn", arn + "nope")
    assert bad.rc != 0 and "StateMachineDoesNotExist" in bad.stderr
    ls = awssim.cli("stepfunctions", "list-executions", "--state-machine-arn", arn, check=True).json
    assert len(ls["executions"]) == 1


def test_aws_sdk_errors_are_service_prefixed(awssim, sfn):
    iam = awssim.client("iam")
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=d({"Version": "2012-10-17", "Statement": []}))
    arn = sfn.create_state_machine(name="iam", roleArn=ROLE, definition=d({
        "StartAt": "Get", "States": {
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:iam:getRole",
                    "Parameters": {"RoleName.$": "$.role"}, "ResultSelector": {"arn.$": "$.Role.Arn"},
                    "Catch": [{"ErrorEquals": ["Iam.NoSuchEntityException"], "ResultPath": "$.err", "Next": "Missing"}],
                    "End": True},
            "Missing": {"Type": "Pass", "Parameters": {"error.$": "$.err.Error"}, "End": True}}}))["stateMachineArn"]
    ok = sfn.start_execution(stateMachineArn=arn, input=d({"role": "app"}))["executionArn"]
    assert json.loads(sfn.describe_execution(executionArn=ok)["output"]) == {
        "arn": "arn:aws:iam::123456789012:role/app"}
    missing = sfn.start_execution(stateMachineArn=arn, input=d({"role": "nope"}))["executionArn"]
    assert json.loads(sfn.describe_execution(executionArn=missing)["output"]) == {"error": "Iam.NoSuchEntityException"}
    hist = sfn.get_execution_history(executionArn=missing)["events"]
    failed = [h for h in hist if h["type"] == "TaskFailed"][0]["taskFailedEventDetails"]
    assert failed["resourceType"] == "aws-sdk:iam" and failed["resource"] == "getRole"


def test_cli_every_operation(awssim):
    """Every Step Functions operation through the AWS CLI (StartSyncExecution and TestState carry the
    "sync-" endpoint host prefix, which the CLI cannot turn off for a local endpoint: boto3 covers them)."""
    def cli(*args):
        return awssim.cli("stepfunctions", *args, check=True).json

    act = cli("create-activity", "--name", "act")["activityArn"]
    assert cli("describe-activity", "--activity-arn", act)["name"] == "act"
    assert len(cli("list-activities")["activities"]) == 1
    arn = cli("create-state-machine", "--name", "m", "--definition", WAIT, "--role-arn", ROLE,
              "--publish")["stateMachineArn"]
    assert cli("validate-state-machine-definition", "--definition", PASS)["result"] == "OK"
    rev = cli("update-state-machine", "--state-machine-arn", arn, "--definition", d({
        "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "End": True}}}))["revisionId"]
    ver = cli("publish-state-machine-version", "--state-machine-arn", arn, "--revision-id", rev)[
        "stateMachineVersionArn"]
    assert len(cli("list-state-machine-versions", "--state-machine-arn", arn)["stateMachineVersions"]) == 2
    alias = cli("create-state-machine-alias", "--name", "live", "--routing-configuration",
                d([{"stateMachineVersionArn": ver, "weight": 100}]))["stateMachineAliasArn"]
    cli("update-state-machine-alias", "--state-machine-alias-arn", alias, "--description", "x")
    assert cli("describe-state-machine-alias", "--state-machine-alias-arn", alias)["description"] == "x"
    assert len(cli("list-state-machine-aliases", "--state-machine-arn", arn)["stateMachineAliases"]) == 1
    assert cli("describe-state-machine", "--state-machine-arn", arn)["revisionId"] == rev
    assert len(cli("list-state-machines")["stateMachines"]) == 1
    ex = cli("start-execution", "--state-machine-arn", alias, "--name", "e1")["executionArn"]
    task = cli("get-activity-task", "--activity-arn", act, "--worker-name", "w")
    cli("send-task-heartbeat", "--task-token", task["taskToken"])
    cli("send-task-success", "--task-token", task["taskToken"], "--task-output", '{"done":1}')
    assert cli("describe-execution", "--execution-arn", ex)["status"] == "SUCCEEDED"
    ex2 = cli("start-execution", "--state-machine-arn", alias, "--name", "e2")["executionArn"]
    task = cli("get-activity-task", "--activity-arn", act)
    cli("send-task-failure", "--task-token", task["taskToken"], "--error", "Bad", "--cause", "c")
    assert cli("describe-execution", "--execution-arn", ex2)["error"] == "Bad"
    cli("redrive-execution", "--execution-arn", ex2)
    ex3 = cli("start-execution", "--state-machine-arn", arn)["executionArn"]
    cli("stop-execution", "--execution-arn", ex3, "--error", "Stop")
    assert cli("describe-state-machine-for-execution", "--execution-arn", ex)["revisionId"] == rev
    assert {e["name"] for e in cli("list-executions", "--state-machine-arn", arn)["executions"]} >= {"e1", "e2"}
    hist = cli("get-execution-history", "--execution-arn", ex, "--reverse-order")["events"]
    assert hist[0]["type"] == "ExecutionSucceeded"
    assert cli("list-map-runs", "--execution-arn", ex)["mapRuns"] == []
    bad_run = f"arn:aws:states:us-east-1:{ACCOUNT}:mapRun:m/x:y"
    for args in (("describe-map-run", "--map-run-arn", bad_run),
                 ("update-map-run", "--map-run-arn", bad_run, "--max-concurrency", "1")):
        r = awssim.cli("stepfunctions", *args)
        assert r.rc != 0 and "ResourceNotFound" in r.stderr
    cli("tag-resource", "--resource-arn", arn, "--tags", "key=k,value=v")
    assert cli("list-tags-for-resource", "--resource-arn", arn)["tags"] == [{"key": "k", "value": "v"}]
    cli("untag-resource", "--resource-arn", arn, "--tag-keys", "k")
    cli("delete-state-machine-alias", "--state-machine-alias-arn", alias)
    cli("delete-state-machine-version", "--state-machine-version-arn", ver)
    cli("delete-state-machine", "--state-machine-arn", arn)
    cli("delete-activity", "--activity-arn", act)
    assert cli("list-state-machines")["stateMachines"] == []


def _output(sfn, arn, name):
    ex = sfn.start_execution(stateMachineArn=arn, name=name, input="{}")["executionArn"]
    return json.loads(sfn.describe_execution(executionArn=ex)["output"])


def _result(n):
    return d({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": n, "End": True}}})


def test_start_execution_sees_every_change_of_its_state_machine(sfn, awssim, tmp_path):
    """StartExecution reads state machine, version and alias documents through a cache: every write,
    a reset and a restore must show in the next execution."""
    arn = sfn.create_state_machine(name="c", definition=_result(1), roleArn=ROLE)["stateMachineArn"]
    assert _output(sfn, arn, "e1") == 1
    sfn.update_state_machine(stateMachineArn=arn, definition=_result(2), publish=True)
    assert _output(sfn, arn, "e2") == 2 and _output(sfn, arn + ":1", "e3") == 2
    sfn.update_state_machine(stateMachineArn=arn, definition=_result(3), publish=True)
    sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": arn + ":1", "weight": 100}])
    assert _output(sfn, arn + ":live", "e4") == 2
    sfn.update_state_machine_alias(stateMachineAliasArn=arn + ":live", routingConfiguration=[
        {"stateMachineVersionArn": arn + ":2", "weight": 100}])
    assert _output(sfn, arn + ":live", "e5") == 3
    # tags change the document too (the cached copy must not put old tags back)
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "k", "value": "v"}])
    assert _output(sfn, arn, "e6") == 3
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "k", "value": "v"}]
    sfn.untag_resource(resourceArn=arn, tagKeys=["k"])
    sfn.update_state_machine(stateMachineArn=arn, roleArn=ROLE + "2")
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == []
    # snapshot here (definition 3), change, restore: the restored definition runs
    snap = str(tmp_path / "s.db")
    assert awssim.control("POST", "snapshot", {"path": snap})[0] == 200
    sfn.update_state_machine(stateMachineArn=arn, definition=_result(4))
    assert _output(sfn, arn, "e7") == 4
    assert awssim.control("POST", "restore", {"path": snap})[0] == 200
    assert _output(sfn, arn, "e8") == 3
    # deleted, then reset: the state machine is gone both times
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=arn, name="e9")
    assert err_code(e) == "StateMachineDoesNotExist"
    arn = sfn.create_state_machine(name="c", definition=_result(5), roleArn=ROLE)["stateMachineArn"]
    assert _output(sfn, arn, "e10") == 5
    assert awssim.control("POST", "reset", {})[0] == 200
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=arn, name="e11")
    assert err_code(e) == "StateMachineDoesNotExist"


def _history(sfn, ex):
    return [(e["id"], e["type"]) for e in sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]]


def test_state_files_from_before_the_hist_column_still_read(awssim_factory, tmp_path):
    """The first history chunk of an execution is stored in its sfn_exec row ("hist"), and executions
    are indexed by a hash of their state machine's ARN ("sm_h"); a state file written before those
    columns existed (every chunk in sfn_hist, the index on sm_arn) opens, and restores, with its
    histories whole and its executions listed, and new executions are stored in it."""
    import sqlite3
    state = str(tmp_path / "state.db")
    sim = awssim_factory(state=state)
    c = sim.client("stepfunctions", account=ACCOUNT)
    arn = c.create_state_machine(name="old", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
    done = c.start_execution(stateMachineArn=arn, name="done")["executionArn"]
    sim.advance(60)  # "done" finishes: its second chunk goes to sfn_hist
    waiting = c.start_execution(stateMachineArn=arn, name="waiting")["executionArn"]
    before = {ex: _history(c, ex) for ex in (done, waiting)}
    assert [t for _, t in before[done]][-1] == "ExecutionSucceeded"
    sim.stop()
    # rewrite the file as the previous version stored it
    db = sqlite3.connect(state)
    assert db.execute("SELECT count(*) FROM sfn_exec WHERE hist IS NOT NULL").fetchone()[0] == 2
    db.execute("INSERT INTO sfn_hist(arn, seq, events) SELECT arn, 0, hist FROM sfn_exec")
    db.execute("ALTER TABLE sfn_exec DROP COLUMN hist")
    db.execute("DROP INDEX sfn_exec_smh")
    db.execute("ALTER TABLE sfn_exec DROP COLUMN sm_h")
    db.execute("CREATE INDEX sfn_exec_sm ON sfn_exec(sm_arn, start_ms)")
    db.commit()
    db.close()
    snap = str(tmp_path / "old-snapshot.db")
    import shutil
    shutil.copy(state, snap)

    def listed():
        return [e["name"] for e in c.list_executions(stateMachineArn=arn)["executions"]]

    again = awssim_factory(state=state)
    c = again.client("stepfunctions", account=ACCOUNT)
    assert {ex: _history(c, ex) for ex in (done, waiting)} == before
    assert listed() == ["waiting", "done"]
    again.advance(60)
    assert c.describe_execution(executionArn=waiting)["status"] == "SUCCEEDED"
    assert [t for _, t in _history(c, waiting)] == [t for _, t in before[done]]
    new = c.start_execution(stateMachineArn=arn, name="new")["executionArn"]
    assert [t for _, t in _history(c, new)] == ["ExecutionStarted", "WaitStateEntered"]
    assert listed() == ["new", "waiting", "done"]
    db = sqlite3.connect(state)
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE tbl_name='sfn_exec'")}
    assert "sfn_exec_smh" in indexes and "sfn_exec_sm" not in indexes
    db.close()
    # restoring the old file into a running server works the same way
    assert again.control("POST", "restore", {"path": snap})[0] == 200
    assert {ex: _history(c, ex) for ex in (done, waiting)} == before
    assert listed() == ["waiting", "done"]
    new = c.start_execution(stateMachineArn=arn, name="new2")["executionArn"]
    assert [t for _, t in _history(c, new)] == ["ExecutionStarted", "WaitStateEntered"]
    assert listed() == ["new2", "waiting", "done"]


def test_a_generated_execution_name_that_is_taken_is_refused(awssim_factory):
    """StartExecution without a name does not look the generated name up (ids from the seeded source
    are not repeated); the insert is the check. A caller who named an execution exactly like the
    name awssim generates next gets ExecutionAlreadyExists for the nameless call, nothing is
    stored, and the server keeps serving."""
    pass_sm = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})

    def fresh():
        sim = awssim_factory(start="2026-01-01T00:00:00Z")
        c = sim.client("stepfunctions", account=ACCOUNT)
        return sim, c, c.create_state_machine(name="m", definition=pass_sm, roleArn=ROLE)["stateMachineArn"]

    # probe: the names the seed generates for the 1st and 2nd nameless starts
    _, c, sm = fresh()
    second = [c.start_execution(stateMachineArn=sm)["executionArn"] for _ in range(2)][1].rsplit(":", 1)[1]
    # same seed and calls, except that the two first starts are named, the first one like `second`
    _, c, sm = fresh()
    c.start_execution(stateMachineArn=sm, name=second)
    c.start_execution(stateMachineArn=sm, name="z")
    with pytest.raises(ClientError) as exc:
        c.start_execution(stateMachineArn=sm)  # draws the request id, then `second`
    assert exc.value.response["Error"]["Code"] == "ExecutionAlreadyExists"
    assert second in exc.value.response["Error"]["Message"]
    names = sorted(e["name"] for e in c.list_executions(stateMachineArn=sm)["executions"])
    assert names == sorted([second, "z"])
    assert c.start_execution(stateMachineArn=sm)["executionArn"]  # the next draw is free
