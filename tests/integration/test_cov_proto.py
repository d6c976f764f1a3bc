"""Codec edge cases over raw HTTP: what REST-XML (Route 53), REST-JSON (RAM) and query (STS) answer
to requests no SDK sends: undecodable bodies, paths no operation has, a member both in the query
string and the body, and a form without Action. Error shapes as in proto.c's header."""
import json
import xml.etree.ElementTree as ET

A = "111111111111"


def auth(service):
    # lenient mode: an account key's signature is not checked; the credential scope names the service
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={A}/20260101/us-east-1/{service}/aws4_request, "
                             "SignedHeaders=host, Signature=00"}


def xml_error(body):
    ns = {"r": "https://route53.amazonaws.com/doc/2013-04-01/"}
    root = ET.fromstring(body)
    return root.find("r:Error/r:Code", ns).text, root.find("r:Error/r:Message", ns).text


def test_rest_xml_invalid_utf8_body(awssim):
    status, _, body = awssim.raw("POST", "/2013-04-01/hostedzone", b"<CreateHostedZoneRequest>\xff</x>",
                                 {"Content-Type": "text/xml", **auth("route53")})
    assert status == 400
    assert xml_error(body) == ("InvalidInput", "Invalid UTF-8 in request body")


def test_rest_xml_unknown_path(awssim):
    status, _, body = awssim.raw("GET", "/2013-04-01/nosuchthing", headers=auth("route53"))
    assert status == 400  # the Route 53 model gives InvalidInput 400
    assert xml_error(body) == ("InvalidInput", "No operation matches GET /2013-04-01/nosuchthing")


def test_rest_json_unknown_path(awssim):
    status, headers, body = awssim.raw("GET", "/nosuchthing", headers=auth("ram"))
    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert json.loads(body) == {"message": "No operation matches GET /nosuchthing"}


def test_rest_json_body_must_be_an_object(awssim):
    for raw in (b"[1, 2]", b"{not json", b"\xff\xfe"):
        status, headers, body = awssim.raw("POST", "/createresourceshare", raw,
                                           {"Content-Type": "application/json", **auth("ram")})
        assert status == 400, raw
        assert headers["x-amzn-ErrorType"] == "SerializationException"
        expected = "Invalid UTF-8 in request body" if raw.startswith(b"\xff") else \
            "Could not parse request body into json"
        assert json.loads(body) == {"message": expected}


def test_rest_json_query_string_member_wins_over_body(awssim):
    ram = awssim.client("ram", account=A)
    share = ram.create_resource_share(name="s")["resourceShare"]["resourceShareArn"]
    other = share[:-4] + "0000"
    # the body names the real share, the query string (where the model puts the member) another one
    status, headers, body = awssim.raw("DELETE", "/deleteresourceshare?resourceShareArn=" + other,
                                       json.dumps({"resourceShareArn": share}).encode(),
                                       {"Content-Type": "application/json", **auth("ram")})
    assert status == 400 and headers["x-amzn-ErrorType"] == "UnknownResourceException", body
    assert other in json.loads(body)["message"]
    assert ram.get_resource_shares(resourceOwner="SELF")["resourceShares"][0]["status"] == "ACTIVE"


def test_query_without_action(awssim):
    status, _, body = awssim.raw("POST", "/", b"Version=2011-06-15",
                                 {"Content-Type": "application/x-www-form-urlencoded", **auth("sts")})
    assert status == 400
    root = ET.fromstring(body)
    ns = {"q": "https://sts.amazonaws.com/doc/2011-06-15/"}
    assert root.find("q:Error/q:Code", ns).text == "MissingAction"
    assert root.find("q:Error/q:Type", ns).text == "Sender"


def test_json_protocol_empty_body_is_empty_input(awssim):
    status, headers, body = awssim.raw("POST", "/", b"", {"X-Amz-Target": "AWSStepFunctions.ListStateMachines",
                                                          "Content-Type": "application/x-amz-json-1.0",
                                                          **auth("states")})
    assert status == 200 and headers["Content-Type"] == "application/x-amz-json-1.0"
    assert json.loads(body) == {"stateMachines": []}
