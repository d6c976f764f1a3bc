#!/usr/bin/env python3
"""seeds.py — writes the small committed seed corpora under fuzz/corpus/<target>/ (idempotent).

Each seed is a valid (or nearly valid) request in the input format the target documents, so
the fuzzer starts from the real wire shapes of each protocol.
"""
import json
import os

ROOT = os.path.dirname(os.path.abspath(__file__))
R53 = "https://route53.amazonaws.com/doc/2013-04-01/"
ASL_PASS = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "Next": "B"},
                                       "B": {"Type": "Succeed"}}}
ASL_BIG = {
    "Comment": "every state type", "StartAt": "P", "QueryLanguage": "JSONPath",
    "States": {
        "P": {"Type": "Pass", "Parameters": {"a.$": "$.a", "f.$": "States.Format('x{}', $.s)"}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.a", "NumericEquals": 1, "Next": "W"},
            {"And": [{"Variable": "$.s", "StringMatches": "x*"}, {"Not": {"Variable": "$.a", "IsNull": True}}],
             "Next": "M"}], "Default": "F"},
        "W": {"Type": "Wait", "Seconds": 1, "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.list", "MaxConcurrency": 2,
              "ItemProcessor": {"StartAt": "T", "States": {"T": {
                  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "End": True}}},
              "ResultPath": "$.m", "Next": "Par"},
        "Par": {"Type": "Parallel", "Branches": [
            {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": True}}},
            {"StartAt": "Y", "States": {"Y": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                                              "Parameters": {"QueueUrl": "q", "MessageBody.$": "$"}, "End": True}}}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "Next": "S"},
        "S": {"Type": "Succeed"},
        "F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}
ASL_JSONATA = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    "A": {"Type": "Pass", "Output": "{% $states.input %}", "Assign": {"v": 1}, "End": True}}}

SEEDS = {
    "fuzz_query": {
        "gci": "\nAction=GetCallerIdentity&Version=2011-06-15",
        "gci_q": "Action=GetCallerIdentity&Version=2011-06-15\n",
        "create_role": "\nAction=CreateRole&Version=2010-05-08&RoleName=r1&Path=%2F&AssumeRolePolicyDocument="
                       "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22"
                       "%2C%22Principal%22%3A%7B%22AWS%22%3A%22*%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"
                       "&Tags.member.1.Key=k&Tags.member.1.Value=v",
        "assume": "\nAction=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr1"
                  "&RoleSessionName=s&DurationSeconds=900",
        "list_roles": "\nAction=ListRoles&Version=2010-05-08&MaxItems=1&Marker=abc",
        "put_policy": "\nAction=PutRolePolicy&Version=2010-05-08&RoleName=r1&PolicyName=p&PolicyDocument=%7B%7D",
    },
    "fuzz_json": {
        "create_sm": "AWSStepFunctions.CreateStateMachine\n" + json.dumps({
            "name": "m", "roleArn": "arn:aws:iam::000000000000:role/r", "definition": json.dumps(ASL_PASS)}),
        "start": "AWSStepFunctions.StartExecution\n" + json.dumps({
            "stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:m", "input": "{}"}),
        "list": "AWSStepFunctions.ListStateMachines\n{\"maxResults\": 5}",
        "validate": "AWSStepFunctions.ValidateStateMachineDefinition\n" + json.dumps({"definition": json.dumps(ASL_BIG)}),
        "dms_ep": "AmazonDMSv20160101.CreateEndpoint\n" + json.dumps({
            "EndpointIdentifier": "src", "EndpointType": "source", "EngineName": "postgres",
            "ServerName": "h", "Port": 5432, "DatabaseName": "d", "Username": "u", "Password": "p"}),
        "dms_ri": "AmazonDMSv20160101.CreateReplicationInstance\n" + json.dumps({
            "ReplicationInstanceIdentifier": "ri", "ReplicationInstanceClass": "dms.t3.medium",
            "AllocatedStorage": 50}),
        "dms_desc": "AmazonDMSv20160101.DescribeReplicationTasks\n{\"Filters\":[{\"Name\":\"replication-task-id\",\"Values\":[\"a\"]}]}",
    },
    "fuzz_rest_xml": {
        "create_zone": "POST\n/2013-04-01/hostedzone\n\nContent-Type: text/xml\n\n"
                       f'<?xml version="1.0" encoding="UTF-8"?><CreateHostedZoneRequest xmlns="{R53}">'
                       "<Name>example.com.</Name><CallerReference>r1</CallerReference>"
                       "<HostedZoneConfig><Comment>c</Comment><PrivateZone>false</PrivateZone></HostedZoneConfig>"
                       "</CreateHostedZoneRequest>",
        "list_zones": "GET\n/2013-04-01/hostedzone\nmaxitems=1\n\n",
        "change": "POST\n/2013-04-01/hostedzone/Z0000000000000000001/rrset/\n\n\n"
                  f'<ChangeResourceRecordSetsRequest xmlns="{R53}"><ChangeBatch><Changes><Change>'
                  "<Action>UPSERT</Action><ResourceRecordSet><Name>a.example.com.</Name><Type>A</Type>"
                  "<TTL>60</TTL><ResourceRecords><ResourceRecord><Value>1.2.3.4</Value></ResourceRecord>"
                  "</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch>"
                  "</ChangeResourceRecordSetsRequest>",
        "health": "POST\n/2013-04-01/healthcheck\n\n\n"
                  f'<CreateHealthCheckRequest xmlns="{R53}"><CallerReference>h</CallerReference>'
                  "<HealthCheckConfig><IPAddress>1.2.3.4</IPAddress><Port>80</Port><Type>HTTP</Type>"
                  "<ResourcePath>/</ResourcePath></HealthCheckConfig></CreateHealthCheckRequest>",
        "tags": "GET\n/2013-04-01/tags/hostedzone/Z1\n\n\n",
    },
    "fuzz_rest_json": {
        "create_share": "POST\n/createresourceshare\n\nContent-Type: application/json\n\n" + json.dumps({
            "name": "s", "resourceArns": ["arn:aws:route53resolver:us-east-1:000000000000:resolver-rule/r"],
            "principals": ["111111111111"], "allowExternalPrincipals": True}),
        "get_shares": "POST\n/getresourceshares\n\n\n{\"resourceOwner\":\"SELF\"}",
        "delete": "DELETE\n/deleteresourceshare\nresourceShareArn=arn%3Aaws%3Aram%3Aus-east-1%3A0%3Aresource-share%2Fx\n\n",
        "list_perm": "POST\n/listpermissions\n\n\n{}",
        "route_r53": "GET\n/2013-04-01/hostedzone\n\n\n",
        "route_target": "POST\n/\n\nX-Amz-Target: AWSStepFunctions.ListActivities\n\n{}",
        "route_scope": "POST\n/\n\nAuthorization: AWS4-HMAC-SHA256 Credential=111111111111/20260101/us-east-1/sts/aws4_request, "
                       "SignedHeaders=host;x-amz-date, Signature=00\nX-Amz-Date: 20260101T000000Z\n\nAction=GetCallerIdentity",
        "control": "GET\n/_awssim/health\n\n\n",
        "control_clock": "POST\n/_awssim/clock\n\n\n{\"advance\": 10}",
    },
    "fuzz_sigv4": {
        "header": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, "
                  "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64 + "\n\n20260101T000100Z\n\nPOST\n/\n"
                  "Action=GetCallerIdentity&Version=2011-06-15",
        "presign": "\nAction=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                   "AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260101T000000Z"
                   "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=" + "a" * 64 + "\n\n\nGET\n/\n",
        "token": "AWS4-HMAC-SHA256 Credential=111111111111/20260101/eu-west-1/states/aws4_request, "
                 "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=abc\n\n20260101T000000Z\nIQoJtoken\n"
                 "POST\n/a%20b/c\n{}",
    },
    "fuzz_asl": {
        "pass": json.dumps(ASL_PASS),
        "big": json.dumps(ASL_BIG),
        "jsonata": json.dumps(ASL_JSONATA),
        "bad": '{"StartAt":"A","States":{"A":{"Type":"Task","Next":"Z"}}}',
    },
    "fuzz_jsonpath": {
        "simple": "$.a.b[2].c\n{\"a\":{\"b\":[1,2,{\"c\":\"x\"}]}}",
        "wild": "$.a.b[*]\n",
        "deep": "$..c\n",
        "filter": "$.a.b[?(@.c == 'x')]\n",
        "slice": "$.a.b[0:2]\n",
        "quoted": "$['a']['b']\n",
        "ctx": "$$.Execution.Id\n",
    },
    "fuzz_intrinsic": {
        "format": "States.Format('Hello {} and {}', $.a, $.o.k)\n",
        "array": "States.Array(1, 'two', $.n, true, null)\n",
        "nested": "States.ArrayLength(States.ArrayPartition($.n, 2))\n",
        "json": "States.JsonToString(States.StringToJson('{\\\\\"x\\\\\":1}'))\n",
        "hash": "States.Hash($.a, 'SHA-256')\n",
        "b64": "States.Base64Decode(States.Base64Encode('abc'))\n",
        "split": "States.StringSplit($.s, ',')\n",
        "math": "States.MathAdd(States.MathRandom(1, 10), -3)\n",
        "merge": "States.JsonMerge($.o, $.o, false)\n",
        "uuid": "States.UUID()\n",
        "range": "States.ArrayRange(1, 9, 2)\n",
        "unique": "States.ArrayUnique(States.Array(1,1,2))\n",
        "get": "States.ArrayGetItem($.n, 1)\n",
        "contains": "States.ArrayContains($.n, 3)\n",
        "escape": "States.Format('a \\\\{ \\\\} \\\\' {}', $$.Execution.Id)\n",
        "var": "$v.x\n",
    },
}


def main():
    for target, seeds in SEEDS.items():
        d = os.path.join(ROOT, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name, text in seeds.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
    # the scenario loader's corpus: the committed example scenarios (scenarios/<lang>/*.json)
    scen = os.path.join(ROOT, "..", "scenarios")
    d = os.path.join(ROOT, "corpus", "fuzz_scenario")
    for lang in ("python", "typescript"):
        src_dir = os.path.join(scen, lang)
        if not os.path.isdir(src_dir):
            continue
        os.makedirs(d, exist_ok=True)
        for name in sorted(os.listdir(src_dir))[:12]:
            p = os.path.join(src_dir, name)
            if name.endswith(".json") and os.path.getsize(p) < 20000:
                with open(p) as src, open(os.path.join(d, f"{lang}-{name}"), "w") as dst:
                    dst.write(src.read())

if __name__ == "__main__":
    main()
