"""Test doubles: an in-process HTTP server speaking awssim's registry protocol, stubbed clients."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from botocore.stub import Stubber


class FakeRegistry:
    """POST/GET /_awssim/resources like awssim; `mode` 'ok' | 'missing' (404) | 'broken' (500)."""

    def __init__(self, mode="ok"):
        self.mode = mode
        self.posts = []
        self.docs = []
        self.advanced = []
        self.clock_real = False
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status, body):
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _check(self):
                if registry.mode == "missing" or not self.path.startswith("/_awssim/resources"):
                    self._send(404, {"message": "not found"})
                    return False
                if registry.mode == "broken":
                    self._send(500, {"message": "boom"})
                    return False
                return True

            def do_POST(self):
                if self.path == "/_awssim/clock":
                    body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                    if registry.clock_real:
                        return self._send(409, {"code": "ClockIsReal"})
                    registry.advanced.append(body["advance"])
                    return self._send(200, {"mode": "virtual"})
                if not self._check():
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                registry.posts.append(body)
                rid = f"{body['type'].split(':')[-1].lower()}-{len(registry.posts):04d}"
                if body["type"] == "aws:kms/key:Key":
                    rid = f"1234abcd-12ab-34cd-56ef-{len(registry.posts):012d}"
                arn = f"arn:aws:test:{body['region']}:{body['account']}:thing/{rid}"
                doc = {"type": body["type"], "name": body["name"], "id": rid, "arn": arn, "account": body["account"],
                       "region": body["region"], "state": {**body["inputs"], "id": rid, "arn": arn}}
                registry.docs.append(doc)
                self._send(200, doc)

            def do_GET(self):
                if not self._check():
                    return
                q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                found = [d for d in registry.docs if ("type" not in q or d["type"] == q["type"][0])
                         and ("account" not in q or d["account"] == q["account"][0])]
                self._send(200, {"resources": found})

        class Server(ThreadingHTTPServer):
            request_queue_size = 128

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class StubbedClients:
    """Replaces AwssimMocks.client: Stubber-wrapped clients per service. stub(service) is the
    client for whatever base credentials the bridge has; stub(service, creds) one for those
    credentials only (e.g. an assumed role's)."""

    BASE = "base"

    def __init__(self):
        self.clients = {}
        self.stubs = {}
        self.regions = []
        self.lock = threading.Lock()

    def stub(self, service, creds=BASE):
        key = (service, creds)
        with self.lock:
            if key not in self.clients:
                client = boto3.client(service, region_name="eu-central-1", aws_access_key_id="x",
                                      aws_secret_access_key="y")
                stub = Stubber(client)
                stub.activate()
                self.clients[key], self.stubs[key] = client, stub
            return self.stubs[key]

    def __call__(self, service, region, creds):
        with self.lock:
            self.regions.append((service, region))
            known = (service, creds) in self.clients
        key = (service, creds) if known else (service, self.BASE)
        self.stub(*key)
        return self.clients[key]

    def assert_done(self):
        for s in self.stubs.values():
            s.assert_no_pending_responses()
