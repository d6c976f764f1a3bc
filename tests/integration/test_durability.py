"""Durability (issue 8): with --state FILE, kill -9 in the middle of a write load over five
services, restart on the same file, and check that every create the server acknowledged is
there and that SQLite's `PRAGMA integrity_check` is ok. Snapshot/restore must round-trip the
whole state exactly (every table, row for row).
"""
import json
import signal
import sqlite3
import threading
import time

from conftest import Awssim

A = "123456789012"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})


def writers(sim, acked, stop):
    """One thread per service, each creating resources until stop is set; acked[svc] gets what
    the server answered 2xx for."""

    def loop(svc, create):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                name = create(i)
            except Exception:  # refused or cut by the kill: not acknowledged
                continue
            acked[svc].append(name)

    iam = sim.client("iam")
    r53 = sim.client("route53")
    sfn = sim.client("stepfunctions")
    dms = sim.client("dms")
    ram = sim.client("ram")
    role_arn = iam.create_role(RoleName="sfn-role", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    sm = sfn.create_state_machine(name="durable", roleArn=role_arn, definition=WAIT)["stateMachineArn"]

    def c_iam(i):
        iam.create_role(RoleName=f"role-{i}", AssumeRolePolicyDocument=TRUST)
        return f"role-{i}"

    def c_r53(i):
        return r53.create_hosted_zone(Name=f"z{i}.example.com", CallerReference=f"ref-{i}")["HostedZone"]["Id"]

    def c_sfn(i):
        return sfn.start_execution(stateMachineArn=sm, name=f"exec-{i}")["executionArn"]

    def c_dms(i):
        dms.create_endpoint(EndpointIdentifier=f"ep-{i}", EndpointType="source", EngineName="postgres",
                            ServerName="h", Port=5432, DatabaseName="d", Username="u", Password="p")
        return f"ep-{i}"

    def c_ram(i):
        return ram.create_resource_share(name=f"share-{i}")["resourceShare"]["resourceShareArn"]

    threads = [threading.Thread(target=loop, args=(svc, fn), daemon=True)
               for svc, fn in (("iam", c_iam), ("route53", c_r53), ("stepfunctions", c_sfn), ("dms", c_dms),
                               ("ram", c_ram))]
    for t in threads:
        t.start()
    return threads, sm


def paged(fn, key, token_in, token_out, **kw):
    out = []
    while True:
        page = fn(**kw)
        out += page[key]
        tok = page.get(token_out)
        if not tok:
            return out
        kw[token_in] = tok


def test_kill_9_during_writes_keeps_every_acknowledged_create(tmp_path):
    state = str(tmp_path / "state.db")
    sim = Awssim(state=state)
    acked = {k: [] for k in ("iam", "route53", "stepfunctions", "dms", "ram")}
    stop = threading.Event()
    try:
        threads, sm = writers(sim, acked, stop)
        time.sleep(2.5)
        sim.proc.send_signal(signal.SIGKILL)  # mid-load: requests are in flight
        sim.proc.wait(5)
        stop.set()
        for t in threads:
            t.join(10)
    finally:
        stop.set()
        sim.stopped = True
        sim.log.close()
    assert all(len(v) >= 5 for v in acked.values()), {k: len(v) for k, v in acked.items()}

    db = sqlite3.connect(state)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()

    again = Awssim(state=state)
    try:
        iam, r53, sfn = again.client("iam"), again.client("route53"), again.client("stepfunctions")
        dms, ram = again.client("dms"), again.client("ram")
        roles = {r["RoleName"] for r in paged(iam.list_roles, "Roles", "Marker", "Marker")}
        assert set(acked["iam"]) <= roles
        zones = {z["Id"] for z in paged(r53.list_hosted_zones, "HostedZones", "Marker", "NextMarker")}
        assert set(acked["route53"]) <= zones
        execs = {e["executionArn"] for e in paged(sfn.list_executions, "executions", "nextToken", "nextToken",
                                                  stateMachineArn=sm)}
        assert set(acked["stepfunctions"]) <= execs
        eps = {e["EndpointIdentifier"] for e in paged(dms.describe_endpoints, "Endpoints", "Marker", "Marker")}
        assert set(acked["dms"]) <= eps
        shares = {s["resourceShareArn"] for s in paged(ram.get_resource_shares, "resourceShares", "nextToken",
                                                        "nextToken", resourceOwner="SELF")}
        assert set(acked["ram"]) <= shares
        # and the restarted server keeps writing to the same file
        iam.create_role(RoleName="after-restart", AssumeRolePolicyDocument=TRUST)
    finally:
        alive = again.alive()
        again.stop()
    assert alive
    db = sqlite3.connect(state)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def dump(path):
    """Every table's rows, sorted, as text (sqlite internals excluded)."""
    db = sqlite3.connect(path)
    out = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"):
        rows = db.execute(f'SELECT * FROM "{name}"').fetchall()
        out[name] = sorted(repr(r) for r in rows)
    db.close()
    return out


def test_snapshot_restore_round_trips_exactly(awssim, tmp_path):
    iam, r53, sfn = awssim.client("iam"), awssim.client("route53"), awssim.client("stepfunctions")
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=TRUST, Tags=[{"Key": "k", "Value": "v"}])["Role"]
    zone = r53.create_hosted_zone(Name="snap.example.com", CallerReference="s")["HostedZone"]["Id"]
    sm = sfn.create_state_machine(name="m", roleArn=role["Arn"], definition=WAIT)["stateMachineArn"]
    sfn.start_execution(stateMachineArn=sm, name="e1")  # leaves a timer pending
    awssim.client("dms").create_endpoint(EndpointIdentifier="e", EndpointType="target", EngineName="aurora",
                                         ServerName="h", Port=3306, Username="u", Password="p")
    awssim.client("ram").create_resource_share(name="s")
    awssim.advance(30)
    first, second = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert awssim.control("POST", "snapshot", {"path": first})[0] == 200
    before = dump(first)
    assert before["awssim_resources"] and before["awssim_timers"]
    # change everything, then restore and snapshot again: identical
    iam.delete_role(RoleName="r")
    r53.delete_hosted_zone(Id=zone)
    sfn.start_execution(stateMachineArn=sm, name="e2")
    awssim.advance(7200)
    assert awssim.control("POST", "restore", {"path": first})[0] == 200
    assert awssim.control("POST", "snapshot", {"path": second})[0] == 200
    after = dump(second)
    assert after.keys() == before.keys()
    assert "awssim_requests" not in before  # the request log lives in memory, not in the state
    for table in before:
        assert after[table] == before[table], table
    # and the API sees the restored world: the role is back, e2 never happened
    assert iam.get_role(RoleName="r")["Role"]["Arn"] == role["Arn"]
    assert [e["name"] for e in sfn.list_executions(stateMachineArn=sm)["executions"]] == ["e1"]
    assert sfn.describe_execution(executionArn=sm.replace(":stateMachine:", ":execution:") + ":e1")["status"] == "RUNNING"


def test_restarts_on_a_state_file_never_hand_out_an_id_again(awssim_factory, tmp_path):
    """Ids come from the seeded random source; a restarted awssim with the same seed would draw the
    same sequence and repeat ids already in the state file (a nameless StartExecution then failed
    with ExecutionAlreadyExists). Each open of the file draws from a new stream, and so does a
    reset file after it is reopened."""
    state = str(tmp_path / "state.db")
    pass_sm = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})

    def one_run(create_sm=False):
        sim = awssim_factory(state=state)
        sfn = sim.client("stepfunctions")
        if create_sm:
            sfn.create_state_machine(name="m", roleArn=f"arn:aws:iam::{A}:role/r", definition=pass_sm)
        sm = f"arn:aws:states:us-east-1:{A}:stateMachine:m"
        ex = sfn.start_execution(stateMachineArn=sm)["executionArn"]  # the name is generated
        zone = sim.client("route53").create_hosted_zone(Name="r.example.com", CallerReference=ex)
        sim.stop()
        return ex, zone["HostedZone"]["Id"], sim

    runs = [one_run(create_sm=True), one_run(), one_run()]
    assert len({r[0] for r in runs}) == 3 and len({r[1] for r in runs}) == 3, runs
    # a reset empties the file; what is created after it is not repeated by the next start either
    sim = awssim_factory(state=state)
    assert sim.control("POST", "reset")[0] == 200
    sim.client("stepfunctions").create_state_machine(name="m", roleArn=f"arn:aws:iam::{A}:role/r",
                                                     definition=pass_sm)
    first = sim.client("stepfunctions").start_execution(
        stateMachineArn=f"arn:aws:states:us-east-1:{A}:stateMachine:m")["executionArn"]
    sim.stop()
    again, _, _ = one_run()
    assert again != first
    db = sqlite3.connect(state)
    assert db.execute("SELECT value FROM awssim_meta WHERE key='rng.stream'").fetchone()[0] == "1"
    db.close()


def test_a_restore_after_a_reset_does_not_repeat_the_snapshots_ids(awssim, tmp_path):
    """A reset rewinds the random source to the seed; the snapshot restored after it carries the
    position its contents were made at, so the next id is a new one (the same hosted zone id was
    handed out twice before)."""
    r53 = awssim.client("route53")
    assert awssim.control("POST", "reset")[0] == 200
    z1 = r53.create_hosted_zone(Name="one.example.com", CallerReference="1")["HostedZone"]["Id"]
    snap = str(tmp_path / "s.db")
    assert awssim.control("POST", "snapshot", {"path": snap})[0] == 200
    assert awssim.control("POST", "reset")[0] == 200
    assert awssim.control("POST", "restore", {"path": snap})[0] == 200
    z2 = r53.create_hosted_zone(Name="two.example.com", CallerReference="2")["HostedZone"]["Id"]
    assert z2 != z1
    names = sorted(z["Name"] for z in r53.list_hosted_zones()["HostedZones"])
    assert names == ["one.example.com.", "two.example.com."]
