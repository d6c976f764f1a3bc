"""The replay HTML report renders in headless Chromium (Debian `chromium`, installed by `make deps`)
with no network: a screenshot of a report with a Route 53 timeline (weights, a health check going
unhealthy), a Step Functions execution and its state-machine graph shows the colours the report
draws — healthy green, unhealthy red, the highlighted executed path — and the DOM Chromium built
holds the SVG timeline and graph.

REPORT_HTML=path/to/index.html checks an existing report (the CI gate passes reports/index.html);
otherwise the test replays a small scenario to make one. Chromium missing is a failure, not a skip.
"""
import json
import os
import shutil
import struct
import subprocess
import zlib

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AWSSIM_BIN = os.environ.get("AWSSIM_BIN", os.path.join(ROOT, "build", "release", "awssim"))

SM = {"StartAt": "Shift", "States": {
    "Shift": {"Type": "Wait", "Seconds": 60, "Next": "Healthy"},
    "Healthy": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Done"}],
                "Default": "Back"},
    "Back": {"Type": "Pass", "Next": "RolledBack"},
    "RolledBack": {"Type": "Fail", "Error": "HealthCheckFailed"},
    "Done": {"Type": "Succeed"}}}

SCENARIO = {
    "name": "render", "program": "none",
    "description": "A report with a weights chart, a health check that turns unhealthy and an executed state machine.",
    "steps": [
        {"kind": "aws", "name": "zone", "service": "route53", "operation": "CreateHostedZone",
         "input": {"Name": "example.com", "CallerReference": "r"}},
        {"kind": "aws", "name": "hc", "service": "route53", "operation": "CreateHealthCheck",
         "input": {"CallerReference": "h", "HealthCheckConfig": {"Type": "HTTPS", "FullyQualifiedDomainName": "new.example.com",
                                                                 "RequestInterval": 10, "FailureThreshold": 3}}},
        {"kind": "aws", "service": "route53", "operation": "ChangeResourceRecordSets",
         "input": {"HostedZoneId": "${steps.zone.HostedZone.Id}", "ChangeBatch": {"Changes": [
             {"Action": "CREATE", "ResourceRecordSet": {"Name": "api.example.com", "Type": "CNAME", "SetIdentifier": s,
                                                        "Weight": w, "TTL": 60, "ResourceRecords": [{"Value": s + ".example.com"}]}}
             for s, w in (("legacy", 90), ("new", 10))]}}},
        {"kind": "aws", "name": "sm", "service": "stepfunctions", "operation": "CreateStateMachine",
         "input": {"name": "shift", "roleArn": "arn:aws:iam::111111111111:role/r", "definition": json.dumps(SM)}},
        {"kind": "aws", "name": "x", "service": "stepfunctions", "operation": "StartExecution",
         "input": {"stateMachineArn": "${steps.sm.stateMachineArn}", "name": "x1", "input": "{\"ok\": false}"}},
        {"kind": "advance", "seconds": 300},
        {"kind": "fault", "action": "inject", "fault": {"service": "route53", "healthCheckId": "${steps.hc.HealthCheck.Id}"}},
        {"kind": "advance", "seconds": 600},
        {"kind": "expect", "call": {"service": "stepfunctions", "operation": "DescribeExecution",
                                    "input": {"executionArn": "${steps.x.executionArn}"}},
         "assert": [{"path": "$.status", "equals": "FAILED"}]},
    ],
}


def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.fail("headless Chromium is not installed (Debian package `chromium`; `make deps` installs it)")
    return exe


def make_report(tmp_path):
    if os.environ.get("REPORT_HTML"):
        return os.path.abspath(os.environ["REPORT_HTML"])
    path = tmp_path / "render.json"
    path.write_text(json.dumps(SCENARIO))
    p = subprocess.run([AWSSIM_BIN, "replay", str(path), "--report", str(tmp_path / "rep")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    return str(tmp_path / "rep" / "index.html")


def run_chromium(*args, timeout=90):
    base = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", "--user-data-dir=/tmp/awssim-chromium-profile"]
    return subprocess.run(base + list(args), capture_output=True, timeout=timeout)


def png_pixels(data):
    """Decode an 8-bit RGB/RGBA non-interlaced PNG: (width, height, rows of bytes, channels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
            ch = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * ch
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, ch


def count_colour(rows, ch, rgb, tol=12):
    n = 0
    for row in rows:
        for i in range(0, len(row), ch):
            if abs(row[i] - rgb[0]) <= tol and abs(row[i + 1] - rgb[1]) <= tol and abs(row[i + 2] - rgb[2]) <= tol:
                n += 1
    return n


def test_report_renders_in_headless_chromium(tmp_path):
    html = make_report(tmp_path)
    dom = run_chromium("--dump-dom", "file://" + html)
    assert dom.returncode == 0, dom.stderr.decode()[-2000:]
    text = dom.stdout.decode()
    source = open(html, encoding="utf-8").read()
    assert '<p id="summary">' in text
    for svg in ('<svg class="timeline"', '<svg class="graph"'):
        # a report made here always has both; an arbitrary one must render the ones it has
        assert text.count(svg) == source.count(svg) and (os.environ.get("REPORT_HTML") or svg in text), svg
    shot = tmp_path / "report.png"
    r = run_chromium("--window-size=1100,1500", "--screenshot=" + str(shot), "file://" + html)
    assert r.returncode == 0 and shot.exists(), r.stderr.decode()[-2000:]
    width, height, rows, ch = png_pixels(shot.read_bytes())
    assert (width, height) == (1100, 1500)
    if os.environ.get("REPORT_HTML"):
        # an arbitrary report: it must at least draw its status badges
        assert count_colour(rows, ch, (0x2c, 0xa0, 0x2c)) + count_colour(rows, ch, (0xd6, 0x27, 0x28)) > 200
        return
    assert count_colour(rows, ch, (0x2c, 0xa0, 0x2c)) > 500, "healthy band / passed badges (green)"
    assert count_colour(rows, ch, (0xd6, 0x27, 0x28)) > 500, "unhealthy band and FAILED execution (red)"
    assert count_colour(rows, ch, (0xfd, 0xe0, 0xc5)) > 300, "executed states highlighted (orange fill)"
    assert count_colour(rows, ch, (0x1f, 0x77, 0xb4)) > 100, "weight line (blue)"
