"""GetActivityTask long-polls as AWS's does: the call is held until a task is scheduled, the state
changes, or its time is up (60 s, `--long-poll-seconds`; on the virtual clock also when the clock has
moved that far), without holding a server thread."""
import json
import threading
import time

ROLE = "arn:aws:iam::123456789012:role/sfn"


def d(x):
    return json.dumps(x)


def activity_machine(sfn, name="work"):
    act = sfn.create_activity(name=name)["activityArn"]
    sm = sfn.create_state_machine(name=f"sm-{name}", roleArn=ROLE, definition=d({
        "StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "End": True}}}))["stateMachineArn"]
    return act, sm


def held(sim, n, timeout=20):
    """Wait until n long polls are held by the server (GET /_awssim/health: heldPolls)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sim.control("GET", "health")[1]["heldPolls"] == n:
            return True
        time.sleep(0.02)
    return False


def poll_in_thread(sim, act, results, key):
    c = sim.client("stepfunctions", read_timeout=90)

    def run():
        t0 = time.monotonic()
        r = c.get_activity_task(activityArn=act, workerName=key)
        results[key] = (r.get("taskToken"), r.get("input"), time.monotonic() - t0)
    t = threading.Thread(target=run)
    t.start()
    return t


def test_poll_waits_for_a_task_scheduled_later(awssim):
    sfn = awssim.client("stepfunctions")
    act, sm = activity_machine(sfn)
    results = {}
    t = poll_in_thread(awssim, act, results, "w1")
    assert held(awssim, 1), "the poll answered before any task existed"
    time.sleep(0.3)
    sfn.start_execution(stateMachineArn=sm, input=d({"job": 7}))
    t.join(10)
    assert not t.is_alive()
    token, inp, waited = results["w1"]
    assert token and json.loads(inp) == {"job": 7}
    assert 0.2 < waited < 10
    assert held(awssim, 0)
    # one request-log entry for the held call, logged when it answered
    ops = [r["operation"] for r in awssim.control("GET", "requests")[1]["requests"]]
    assert ops.count("GetActivityTask") == 1


def test_held_polls_do_not_block_the_server(awssim):
    sfn = awssim.client("stepfunctions")
    act, sm = activity_machine(sfn)
    results = {}
    threads = [poll_in_thread(awssim, act, results, f"w{i}") for i in range(6)]  # > worker threads
    assert held(awssim, 6)
    sts = awssim.client("sts")
    t0 = time.monotonic()
    for _ in range(20):
        assert sts.get_caller_identity()["Account"]
    assert time.monotonic() - t0 < 5
    for i in range(6):
        sfn.start_execution(stateMachineArn=sm, input=d({"n": i}))
    for t in threads:
        t.join(10)
    assert sorted(json.loads(results[f"w{i}"][1])["n"] for i in range(6)) == list(range(6))
    assert len({results[f"w{i}"][0] for i in range(6)}) == 6  # each task went to exactly one worker


def test_poll_ends_empty_when_the_virtual_clock_passes_60s(awssim):
    sfn = awssim.client("stepfunctions")
    act, _ = activity_machine(sfn)
    results = {}
    t = poll_in_thread(awssim, act, results, "w")
    assert held(awssim, 1)
    awssim.advance(30)
    time.sleep(0.3)
    assert t.is_alive() and held(awssim, 1)
    awssim.advance(31)
    t.join(10)
    assert not t.is_alive() and results["w"][0] is None


def test_poll_ends_empty_after_long_poll_seconds(awssim_factory):
    sim = awssim_factory(long_poll_seconds=1)
    act, _ = activity_machine(sim.client("stepfunctions"))
    results = {}
    t = poll_in_thread(sim, act, results, "w")
    t.join(10)
    token, _, waited = results["w"]
    assert token is None and 0.9 < waited < 5


def test_long_poll_zero_answers_at_once(awssim_factory):
    sim = awssim_factory(long_poll_seconds=0)
    sfn = sim.client("stepfunctions")
    act, _ = activity_machine(sfn)
    t0 = time.monotonic()
    assert "taskToken" not in sfn.get_activity_task(activityArn=act)
    assert time.monotonic() - t0 < 2


def test_stopping_the_server_answers_held_polls(awssim_factory):
    sim = awssim_factory()
    act, _ = activity_machine(sim.client("stepfunctions"))
    results = {}
    t = poll_in_thread(sim, act, results, "w")
    assert held(sim, 1)
    t0 = time.monotonic()
    sim.stop()  # SIGTERM; a clean exit is 0
    assert sim.proc.returncode == 0
    assert time.monotonic() - t0 < 5
    t.join(10)
    assert not t.is_alive()
    assert "w" in results and results["w"][0] is None  # answered (empty), not a dropped connection
    assert "w" in results and results["w"][0] is None  # answered (empty), not a dropped connection
