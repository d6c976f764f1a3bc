"""Step Functions JSONata states through boto3: QueryLanguage JSONata definitions validated and run on the
virtual clock (Arguments, Output, Assign, Condition, Items/ItemSelector, $states, Wait expressions),
transforms and integer pictures in Output, States.QueryEvaluationError with its EvaluationFailed event, and
the validation messages that keep the JSONPath-only fields out of JSONata states."""
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/sfn"
ACCOUNT = "123456789012"


@pytest.fixture
def sfn(awssim):
    return boto3.client("stepfunctions", endpoint_url=awssim.url, region_name="us-east-1",
                        aws_access_key_id=ACCOUNT, aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, inject_host_prefix=False))


def machine(sfn, name, definition):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]


def run(sfn, name, definition, payload):
    arn = machine(sfn, name, definition)
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    return ex, sfn.describe_execution(executionArn=ex)


ORDER = {
    "QueryLanguage": "JSONata",
    "StartAt": "Price",
    "States": {
        "Price": {
            "Type": "Pass",
            "Assign": {"currency": "{% $states.input.currency %}"},
            "Output": {
                "lines": "{% $states.input.lines.{'sku': sku, 'total': qty * price} %}",
                "sum": "{% $sum($states.input.lines.(qty * price)) %}",
            },
            "Next": "Route",
        },
        "Route": {
            "Type": "Choice",
            "Choices": [{"Condition": "{% $states.input.sum >= 100 %}", "Next": "Each",
                         "Assign": {"tier": "gold"}}],
            "Default": "Each",
            "Assign": {"routed": True},  # AWS: the state-level Assign applies whichever rule matched
        },
        "Each": {
            "Type": "Map",
            "Items": "{% $states.input.lines %}",
            "ItemSelector": {"sku": "{% $states.context.Map.Item.Value.sku %}",
                             "pos": "{% $states.context.Map.Item.Index %}"},
            "ItemProcessor": {"StartAt": "Label", "States": {"Label": {
                "Type": "Pass", "Output": "{% $states.input.pos & ':' & $uppercase($states.input.sku) %}",
                "End": True}}},
            "Output": {"labels": "{% $states.result %}"},
            "Next": "Done",
        },
        "Done": {
            "Type": "Succeed",
            "Output": {"labels": "{% $join($states.input.labels, ',') %}", "tier": "{% $tier %}",
                       "currency": "{% $currency %}", "routed": "{% $routed %}", "execution": "{% $states.context.Execution.Name %}"},
        },
    },
}


def test_jsonata_machine_runs(sfn):
    payload = {"currency": "EUR", "lines": [{"sku": "a", "qty": 2, "price": 30}, {"sku": "b", "qty": 1, "price": 50}]}
    ex, d = run(sfn, "orders", ORDER, payload)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out == {"labels": "0:A,1:B", "tier": "gold", "currency": "EUR", "routed": True, "execution": ex.split(":")[-1]}
    hist = sfn.get_execution_history(executionArn=ex, maxResults=1000)["events"]
    exited = [e for e in hist if e["type"] == "PassStateExited"][0]["stateExitedEventDetails"]
    assert json.loads(exited["output"])["sum"] == 110
    assert exited["assignedVariables"] == {"currency": '"EUR"'}


def test_wait_and_clock_expressions(sfn, awssim):
    definition = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "T"},
        "T": {"Type": "Pass", "Output": {"millis": "{% $millis() %}", "now": "{% $now() %}"}, "End": True}}}
    ex, d = run(sfn, "waits", definition, {"delay": 30})
    assert d["status"] == "RUNNING"
    awssim.advance(30)
    d = sfn.describe_execution(executionArn=ex)
    assert d["status"] == "SUCCEEDED"
    out = json.loads(d["output"])
    started = sfn.get_execution_history(executionArn=ex)["events"][0]["timestamp"].timestamp()
    assert out["millis"] == round((started + 30) * 1000)
    assert out["now"].endswith("Z") and out["now"][:4].isdigit()


def test_query_evaluation_error_and_catch(sfn):
    failing = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Output": "{% $number($states.input.n) %}", "End": True}}}
    ex, d = run(sfn, "bad", failing, {"n": "x1"})
    assert d["status"] == "FAILED"
    assert d["error"] == "States.QueryEvaluationError"
    assert "Unable to cast value to a number" in d["cause"]
    events = sfn.get_execution_history(executionArn=ex)["events"]
    ev = [e for e in events if e["type"] == "EvaluationFailed"]
    assert ev and ev[0]["evaluationFailedEventDetails"]["state"] == "A"
    assert ev[0]["evaluationFailedEventDetails"]["location"] == "Output"

    caught = {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Arguments": {"QueueUrl": "q", "MessageBody": "{% $states.input.missing.deeper %}"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F",
                         "Output": "{% $states.errorOutput %}"}], "End": True},
        "F": {"Type": "Fail", "Error": "{% 'Wrapped.' & $states.input.Error %}", "Cause": "{% $states.input.Cause %}"}}}
    _, d = run(sfn, "caught", caught, {})
    assert d["status"] == "FAILED"
    assert d["error"] == "Wrapped.States.QueryEvaluationError"
    assert "returned nothing (undefined)" in d["cause"]


@pytest.mark.parametrize("definition,message", [
    ({"QueryLanguage": "JSONata", "StartAt": "A",
      "States": {"A": {"Type": "Pass", "ResultPath": "$.x", "End": True}}},
     "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' "
     "QueryLanguage"),
    ({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                                       "Arguments": {}, "End": True}}},
     "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' "
     "QueryLanguage"),
    ({"QueryLanguage": "JSONata", "StartAt": "A",
      "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}}},
     "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"),
    ({"QueryLanguage": "JSONata", "StartAt": "A",
      "States": {"A": {"Type": "Pass", "Output": "{% $states.input.( %}", "End": True}}},
     "is not valid"),
])
def test_validation(sfn, definition, message):
    with pytest.raises(ClientError) as e:
        machine(sfn, "invalid", definition)
    assert e.value.response["Error"]["Code"] == "InvalidDefinition"
    assert message in e.value.response["Error"]["Message"]
    r = sfn.validate_state_machine_definition(definition=json.dumps(definition))
    assert r["result"] == "FAIL"
    assert any(message in x["message"] for x in r["diagnostics"])


def test_test_state_runs_a_jsonata_state(sfn):
    state = {"Type": "Pass", "QueryLanguage": "JSONata",
             "Output": {"greeting": "{% 'Hello, ' & $states.input.name %}"}, "Next": "After"}
    r = sfn.test_state(definition=json.dumps(state), roleArn=ROLE, input=json.dumps({"name": "Ann"}))
    assert r["status"] == "SUCCEEDED"
    assert json.loads(r["output"]) == {"greeting": "Hello, Ann"}
    assert r["nextState"] == "After"


def test_transform_and_integer_pictures_in_output(sfn):
    # expected values from jsonata-js 2.0.6 (the evaluator AWS runs) on the same input
    definition = {"QueryLanguage": "JSONata", "StartAt": "Redact", "States": {"Redact": {
        "Type": "Pass",
        "Output": {
            "order": "{% $states.input ~> |lines|{'total': qty * price}, 'sku'| ~> |$|{}, ['token']| %}",
            "words": "{% $formatInteger($count($states.input.lines) * 1000 + 21, 'w') %}",
            "ordinal": "{% $formatInteger($states.input.id, '#,##0;o') %}",
            "roman": "{% $parseInteger('MMXXVI', 'I') %}"},
        "End": True}}}
    payload = {"id": 1002, "token": "secret", "lines": [{"sku": "a", "qty": 2, "price": 2.5},
                                                        {"sku": "b", "qty": 1, "price": 4}]}
    _, d = run(sfn, "transform", definition, payload)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {
        "order": {"id": 1002, "lines": [{"qty": 2, "price": 2.5, "total": 5}, {"qty": 1, "price": 4, "total": 4}]},
        "words": "two thousand and twenty-one", "ordinal": "1,002nd", "roman": 2026}
    _, d = run(sfn, "transform-bad", {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {
        "Type": "Pass", "Output": "{% $states.input ~> |$|{}, 5| %}", "End": True}}}, {"a": 1})
    assert d["status"] == "FAILED" and d["error"] == "States.QueryEvaluationError"
    assert "T2012" in d["cause"], d["cause"]
