"""Client for awssim's control API: the generic resource registry (resources of services awssim
does not emulate) and the virtual clock.

  POST {endpoint}/_awssim/resources  {"type", "name", "inputs", "account", "region"}
       -> {"id", "arn", "state"}
  GET  {endpoint}/_awssim/resources?type=&account=  -> {"resources": [...]} (or a bare list)
  POST {endpoint}/_awssim/clock  {"advance": seconds}  (409 ClockIsReal when the clock is real)
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request


class RegistryError(RuntimeError):
    def __init__(self, status, message):
        super().__init__(f"awssim registry: HTTP {status}: {message}")
        self.status = status


class RegistryUnavailable(RegistryError):
    """The server has no generic registry (404/405/501): callers may fall back."""


def _json_default(obj):
    return repr(obj)


class RegistryClient:
    def __init__(self, endpoint, timeout=30):
        self.root = endpoint.rstrip("/") + "/_awssim"
        self.base = self.root + "/resources"
        self.timeout = timeout

    ATTEMPTS = 4

    def _request(self, method, url, body=None):
        data = None if body is None else json.dumps(body, default=_json_default).encode()
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    payload = resp.read()
                return json.loads(payload) if payload else {}
            except urllib.error.HTTPError as exc:
                text = exc.read().decode(errors="replace")
                cls = RegistryUnavailable if exc.code in (404, 405, 501) else RegistryError
                raise cls(exc.code, text) from None
            except (ConnectionError, urllib.error.URLError):
                # Connection refused/reset under a burst of parallel registrations: retry (a
                # registration is keyed by type and name, so repeating it is harmless).
                attempt += 1
                if attempt >= self.ATTEMPTS:
                    raise
                time.sleep(0.05 * attempt)

    def create(self, typ, name, inputs, account, region):
        return self._request("POST", self.base, {"type": typ, "name": name, "inputs": inputs,
                                                 "account": account, "region": region})

    def list(self, typ=None, account=None):
        query = urllib.parse.urlencode({k: v for k, v in (("type", typ), ("account", account)) if v})
        data = self._request("GET", self.base + ("?" + query if query else ""))
        return data.get("resources", []) if isinstance(data, dict) else data

    def advance_clock(self, seconds):
        """Move awssim's virtual clock forward (timers due meanwhile fire)."""
        return self._request("POST", self.root + "/clock", {"advance": seconds})
