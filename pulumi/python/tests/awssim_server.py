"""Start awssim (AWSSIM_BIN) for live tests: `serve --port 0 --ready-file F`, stopped at the end."""

import os
import subprocess
import tempfile
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MOCKS = os.path.join(REPO, "mocks", "python")


def start_awssim():
    binary = os.environ.get("AWSSIM_BIN")
    if not binary:
        pytest.skip("AWSSIM_BIN not set: live tests against awssim skipped")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"AWSSIM_BIN={binary} is not an executable")
    tmp = tempfile.mkdtemp(prefix="awssim-pm-")
    ready = os.path.join(tmp, "ready")
    log = open(os.path.join(tmp, "awssim.log"), "w+")
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--ready-file", ready], stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + 15
    while time.time() < deadline:
        if os.path.exists(ready) and open(ready).read().strip():
            return proc, open(ready).read().strip(), log
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    log.seek(0)
    pytest.fail(f"awssim did not start: {log.read()[-2000:]}")


def stop_awssim(proc, log):
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()
