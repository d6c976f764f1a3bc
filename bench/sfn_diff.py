#!/usr/bin/env python3
"""sfn_diff.py — differential check of two awssim binaries' Step Functions behaviour.

Runs the same calls (state machines covering every state type, JSONPath/intrinsics, Map/Parallel,
Retry/Catch, Wait on the virtual clock, task tokens, data limits, odd state names, StartExecution
idempotency and input errors) against both binaries with the same seed and start time, and compares
every response byte for byte: StartExecution, DescribeExecution, GetExecutionHistory (both orders,
with and without data), ListExecutions. Used to check that engine performance work changes nothing
a client can see.
Usage: sfn_diff.py OLD_BINARY NEW_BINARY   (exit status 1 when any response differs)
"""
import json, os, subprocess, sys, tempfile, time, urllib.request

ROLE = "arn:aws:iam::123456789012:role/r"

def start(binary):
    tmp = tempfile.mkdtemp()
    ready = os.path.join(tmp, "ready")
    p = subprocess.Popen([binary, "serve", "--port", "0", "--ready-file", ready, "--seed", "7",
                          "--start", "2026-01-01T00:00:00Z", "--log-level", "error"], stdout=subprocess.DEVNULL)
    while not os.path.exists(ready) or not open(ready).read().strip():
        time.sleep(0.01)
    return p, open(ready).read().strip()

def raw(url, target, body):
    req = urllib.request.Request(url + "/", data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions." + target,
        "Authorization": "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=0"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

def control(url, path, body):
    req = urllib.request.Request(url + "/_awssim/" + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(req) as r:
        return r.read()

P = lambda **k: dict(Type="Pass", **k)
MACHINES = {
 "chain": ({"StartAt": "A", "States": {"A": P(Next="B"), "B": P(Next="C"), "C": P(End=True)}}, [{"a": 1}, {"x": [1, 2, {"y": "z\n\u00e9"}]}]),
 "params": ({"StartAt": "A", "States": {"A": P(Parameters={"v.$": "$.a", "c.$": "$$.Execution.Name", "u.$": "States.UUID()", "s.$": "States.Format('x{}', $.a)"}, ResultPath="$.r", Next="B"),
            "B": P(Result={"k": [1, 2.5, None, True]}, ResultPath="$.res", OutputPath="$.res", Next="C"), "C": P(InputPath="$.k", End=True)}}, [{"a": 3}]),
 "assign": ({"QueryLanguage": "JSONPath", "StartAt": "A", "States": {"A": P(Assign={"x.$": "$.a", "y": 2}, Next="B"), "B": P(Parameters={"x.$": "$x", "y.$": "$y"}, End=True)}}, [{"a": [1, 2]}]),
 "choice": ({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}], "Default": "Small"},
            "Big": {"Type": "Succeed"}, "Small": {"Type": "Fail", "Error": "E", "Cause": "c"}}}, [{"n": 9}, {"n": 1}, {}]),
 "map": ({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": P(End=True)}}, "ResultSelector": {"n.$": "States.ArrayLength($)"}, "End": True}}}, [{"items": [1, 2, 3, 4, 5]}, {"items": []}, {"items": 3}]),
 "map0": ({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"StartAt": "P", "States": {"P": P(Next="Q"), "Q": P(End=True)}}, "End": True}}}, [{"items": [{"i": i} for i in range(30)]}]),
 "mapfail": ({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "ToleratedFailureCount": 1,
            "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "F"}], "Default": "OK"}, "F": {"Type": "Fail", "Error": "Bad"}, "OK": {"Type": "Succeed"}}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Done"}], "End": True}, "Done": P(End=True)}}, [{"items": [1, 2, 3]}, {"items": [2, 2, 3]}]),
 "parallel": ({"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": P(Result=1, End=True)}}, {"StartAt": "B", "States": {"B": P(Next="B2"), "B2": P(End=True)}}], "Next": "E"}, "E": P(End=True)}}, [{"q": 1}]),
 "retry": ({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 1}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": True}, "Caught": P(End=True)}}, [{"a": 1}]),
 "wait": ({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Next": "P"}, "P": P(End=True)}}, [{"a": 1}]),
 "sns": ({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message.$": "$.m"}, "ResultSelector": {"id.$": "$.MessageId"}, "End": True}}}, [{"m": "hi"}]),
 "sdk": ({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:listStateMachines", "Parameters": {}, "ResultSelector": {"n.$": "States.ArrayLength($.StateMachines)"}, "End": True}}}, [{}]),
 "token": ({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 30, "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": True}}}, [{}]),
 "biglimit": ({"StartAt": "A", "States": {"A": P(Parameters={"a.$": "States.ArrayRange(1, 30000, 1)"}, End=True)}}, [{}]),
 "datalimit": ({"StartAt": "A", "States": {"A": P(Parameters={"a.$": "$.s", "b.$": "$.s"}, Next="B"), "B": P(End=True)}}, [{"s": "x" * 150000}, {"s": "y" * 1000}]),
 "names": ({"StartAt": "A \"q\" \u00e9\\ \t", "States": {"A \"q\" \u00e9\\ \t": P(Next="M/\u2603"), "M/\u2603": {"Type": "Map", "ItemProcessor": {"StartAt": "in \"x\"", "States": {"in \"x\"": P(End=True)}}, "End": True}}}, [[1, "a"]]),
 "errpath": ({"StartAt": "A", "States": {"A": P(InputPath="$.nope", End=True)}}, [{}]),
 "succeed": ({"StartAt": "A", "States": {"A": P(Next="S"), "S": {"Type": "Succeed", "OutputPath": "$.x"}}}, [{"x": {"y": 1}}]),
 "loop": ({"StartAt": "I", "States": {"I": P(Parameters={"n": 0}, Next="C"), "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 50, "Next": "Inc"}], "Default": "D"},
           "Inc": P(Parameters={"n.$": "States.MathAdd($.n, 1)"}, Next="C"), "D": {"Type": "Succeed"}}}, [{}]),
}

def run(binary):
    p, url = start(binary)
    out = []
    try:
        for name, (d, inputs) in MACHINES.items():
            st, b = raw(url, "CreateStateMachine", {"name": name, "roleArn": ROLE, "definition": json.dumps(d)})
            out.append((name, "create", st, b))
            arn = json.loads(b).get("stateMachineArn")
            if not arn: continue
            execs = []
            for i, inp in enumerate(inputs):
                st, b = raw(url, "StartExecution", {"stateMachineArn": arn, "name": f"e{i}", "input": json.dumps(inp)})
                out.append((name, "start", st, b))
                if st == 200: execs.append(json.loads(b)["executionArn"])
            if name in ("token", "chain"):
                for body in [{"name": "e0", "input": json.dumps(inputs[0])}, {"name": "e0", "input": "{\"zz\":1}"},
                             {"name": "bad", "input": "{nope"}, {"name": "big", "input": json.dumps({"s": "x" * 270000})},
                             {"name": "bad name!", "input": "{}"}, {"input": "[1,2]"}]:
                    out.append((name, "again") + raw(url, "StartExecution", dict(body, stateMachineArn=arn)))
            out.append(("clock", control(url, "clock", {"advance": 10})))
            if name == "token": out.append(("clock", control(url, "clock", {"advance": 40})))
            for ex in execs:
                for op, body in [("DescribeExecution", {"executionArn": ex}),
                                 ("GetExecutionHistory", {"executionArn": ex, "maxResults": 1000}),
                                 ("GetExecutionHistory", {"executionArn": ex, "reverseOrder": True, "includeExecutionData": False, "maxResults": 3})]:
                    out.append((name, op) + raw(url, op, body))
        out.append(("list",) + raw(url, "ListExecutions", {"stateMachineArn": arn}))
    finally:
        p.terminate(); p.wait()
    return out

a = run(sys.argv[1]); b = run(sys.argv[2])
bad = 0
for x, y in zip(a, b):
    if x != y:
        bad += 1
        print("DIFF", x[:2], "\n  A:", x[-1][:600], "\n  B:", y[-1][:600])
print(len(a), len(b), "responses;", bad, "differ")
sys.exit(1 if bad or len(a) != len(b) else 0)
