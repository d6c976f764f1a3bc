"""forkserver: deploys run in forks of a warm server; the client hands over argv, env, cwd and stdio."""

import importlib.util
import json
import os
import signal
import socket
import sys
import tempfile
import time

import pytest

from awssim_mock import deploy, forkserver


def fake_main(argv):
    """Stands in for deploy.main in the server's forks: what to do is in argv."""
    what = argv[0]
    print(f"cwd={os.getcwd()} env={os.environ.get('FS_TEST')} argv={sys.argv[1:]} "
          f"warm={'colorsys' in sys.modules}", flush=True)
    if what == "exit":
        return int(argv[1])
    if what == "import":
        import colorsys  # noqa: F401 - learned into the warm file
        return 0
    if what == "sleep":
        with open(argv[1], "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(60)
    if what == "signal":
        os.kill(os.getpid(), signal.SIGTERM)
    if what == "sysexit":
        raise SystemExit(argv[1])
    raise RuntimeError("fake deploy broke")


def delegated(argv, path=None):
    """delegate() with this process's stdout and stderr (fds 1, 2) on files: (status, out, err)."""
    files = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    saved = os.dup(1), os.dup(2)
    try:
        for fd, f in zip((1, 2), files):
            os.dup2(f.fileno(), fd)
        code = forkserver.delegate(argv, path)
    finally:
        for fd, old in zip((1, 2), saved):
            os.dup2(old, fd)
            os.close(old)
    texts = []
    for f in files:
        f.seek(0)
        texts.append(f.read().decode())
        f.close()
    return code, texts[0], texts[1]


def start_server(tmp_path, name="s", setup=None):
    path = str(tmp_path / f"{name}.sock")
    warm = str(tmp_path / "build" / "warm.txt")
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            deploy.main = fake_main
            # as in a server of its own: Python's streams on fds 1 and 2, not pytest's capture
            sys.stdout, sys.stderr = open(1, "w", closefd=False), open(2, "w", closefd=False)
            if setup:
                setup()
            forkserver.main(["--socket", path, "--warm", warm])
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    for _ in range(500):
        if os.path.exists(path):
            break
        time.sleep(0.01)
    return pid, path, warm


def stop_server(pid):
    os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    return status


@pytest.fixture
def server(tmp_path):
    pid, path, warm = start_server(tmp_path)
    yield path, warm
    assert os.waitstatus_to_exitcode(stop_server(pid)) == 0


def test_messages_carry_json_and_files():
    a, b = socket.socketpair()
    with a, b:
        r, w = os.pipe()
        forkserver.send_msg(a, {"x": [1, "é" * 5000]}, fds=(w,))
        msg, fds = forkserver.recv_msg(b, maxfds=3)
        assert msg == {"x": [1, "é" * 5000]} and len(fds) == 1
        os.write(fds[0], b"hi")
        assert os.read(r, 2) == b"hi"
        for fd in (r, w, *fds):
            os.close(fd)
        forkserver.send_msg(a, {"y": 2})
        assert forkserver.recv_msg(b) == ({"y": 2}, [])
        a.sendall(b"\0\0\0\x10{")  # a message cut short
        a.close()
        assert forkserver.recv_msg(b) == (None, [])
        assert forkserver.recv_msg(b) == (None, [])


def test_delegate_without_a_server(tmp_path, monkeypatch):
    monkeypatch.delenv(forkserver.ENV, raising=False)
    assert forkserver.delegate(["x"]) is None
    monkeypatch.setenv(forkserver.ENV, str(tmp_path / "nobody.sock"))
    assert forkserver.delegate(["x"]) is None


def test_deploys_run_in_forks_with_the_clients_files_directory_and_environment(server, tmp_path, monkeypatch):
    path, warm = server
    monkeypatch.setenv(forkserver.ENV, path)
    monkeypatch.setenv("FS_TEST", "one")
    monkeypatch.chdir(tmp_path)
    code, out, _ = delegated(["exit", "3"])
    assert code == 3 and f"cwd={tmp_path} env=one argv=['exit', '3'] warm=False" in out
    # a deploy's library imports are learned, and imported by the server before the next fork
    assert delegated(["import"])[0] == 0
    assert "colorsys" in open(warm).read().split()
    code, out, _ = delegated(["exit", "0"])
    assert code == 0 and "warm=True" in out
    code, _, err = delegated(["sysexit", "bad flag"])
    assert code == 1 and "bad flag" in err
    code, _, err = delegated(["boom"])
    assert code == 1 and "RuntimeError: fake deploy broke" in err


def test_a_fork_killed_by_a_signal_is_reported_as_that_signal(server, monkeypatch):
    path, _ = server
    killed = []
    monkeypatch.setattr(forkserver.os, "kill", lambda pid, sig: killed.append((pid, sig)))
    monkeypatch.setattr(forkserver.signal, "signal", lambda sig, handler: None)
    assert forkserver.delegate(["signal"], path) == 1
    assert killed == [(os.getpid(), signal.SIGTERM)]


def test_a_client_that_goes_away_takes_its_deploy_with_it(server, tmp_path):
    path, _ = server
    pidfile = tmp_path / "pid"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    forkserver.send_msg(s, {"argv": ["sleep", str(pidfile)], "cwd": str(tmp_path), "env": {}}, fds=(0, 1, 2))
    for _ in range(500):
        if pidfile.exists() and pidfile.read_text():
            break
        time.sleep(0.01)
    pid = int(pidfile.read_text())
    assert forkserver.delegate(["exit", "6"], path) == 6  # a deploy beside a running one
    s.close()
    for _ in range(500):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    else:
        pytest.fail("the deploy outlived its client")
    # the server goes on: requests it cannot use are dropped, the next deploy runs
    for junk in (b"", b"\0\0\0\x02{]"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as bad:
            bad.connect(path)
            bad.sendall(junk)
            bad.shutdown(socket.SHUT_WR)
            assert bad.recv(10) == b""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as nofds:
        nofds.connect(path)
        forkserver.send_msg(nofds, {"argv": ["exit", "0"]})
        assert nofds.recv(10) == b""
    assert forkserver.delegate(["exit", "5"], path) == 5


def test_the_server_stops_with_its_running_deploys(tmp_path):
    pid, path, _ = start_server(tmp_path)
    pidfile = tmp_path / "pid"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    forkserver.send_msg(s, {"argv": ["sleep", str(pidfile)], "cwd": str(tmp_path), "env": {}}, fds=(0, 1, 2))
    for _ in range(500):
        if pidfile.exists() and pidfile.read_text():
            break
        time.sleep(0.01)
    assert os.waitstatus_to_exitcode(stop_server(pid)) == 0
    with pytest.raises(ProcessLookupError):
        os.kill(int(pidfile.read_text()), 0)
    assert forkserver.recv_msg(s) == (None, [])
    s.close()
    assert not os.path.exists(path)


def test_a_server_that_cannot_fork_sends_the_deploy_back(tmp_path):
    def threads():
        forkserver.threading.active_count = lambda: 2

    def nofork():
        def fail():
            raise OSError("EAGAIN")
        forkserver.os.fork = fail

    for name, setup, why in (("t", threads, "runs threads"), ("f", nofork, "cannot fork: EAGAIN")):
        pid, path, _ = start_server(tmp_path, name, setup)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(path)
            forkserver.send_msg(s, {"argv": ["exit", "0"], "cwd": "/", "env": {}}, fds=(0, 1, 2))
            reply, _ = forkserver.recv_msg(s)
        assert why in reply["unavailable"]
        assert forkserver.delegate(["exit", "0"], path) is None
        stop_server(pid)


def test_a_server_that_dies_mid_deploy_fails_the_deploy(tmp_path, capsys):
    path = str(tmp_path / "d.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    pid = os.fork()
    if pid == 0:
        conn, _ = srv.accept()
        forkserver.recv_msg(conn, maxfds=3)
        os._exit(0)
    srv.close()
    assert forkserver.delegate(["exit", "0"], path) == 1
    os.waitpid(pid, 0)
    assert "the deploy server went away" in capsys.readouterr().err


def test_warming_loads_lazy_packages_as_an_attribute_access_would(tmp_path, monkeypatch, capsys):
    pkg = tmp_path / "fs_lazy_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .sub import VALUE\n")
    (pkg / "sub.py").write_text("VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = importlib.util.find_spec("fs_lazy_pkg")
    spec.loader = importlib.util.LazyLoader(spec.loader)
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "fs_lazy_pkg", mod)
    spec.loader.exec_module(mod)
    assert "fs_lazy_pkg" not in forkserver.loaded_modules()
    forkserver.load("fs_lazy_pkg.sub")
    assert sys.modules["fs_lazy_pkg"].VALUE == 42 and "fs_lazy_pkg" in forkserver.loaded_modules()
    sys.modules.pop("fs_lazy_pkg.sub")
    # the warm file: names in order; one that cannot be imported is skipped
    warm = tmp_path / "warm.txt"
    warm.write_text("fs_lazy_pkg.sub\nno_such_module_for_fs_test\n")
    server = forkserver.Server(str(tmp_path / "w.sock"), str(warm))
    try:
        server.warm()
        server.warm()  # unchanged file: nothing to do
    finally:
        server.close()
    assert "fs_lazy_pkg.sub" in sys.modules
    assert "not warming no_such_module_for_fs_test" in capsys.readouterr().err


def test_learning_appends_new_library_modules_once(tmp_path, monkeypatch):
    warm = tmp_path / "b" / "warm.txt"
    forkserver.learn(set(forkserver.loaded_modules()), str(warm))
    assert not warm.exists()  # nothing new
    before = set(forkserver.loaded_modules()) - {"json", "os"}
    forkserver.learn(before, str(warm))
    forkserver.learn(before, str(warm))
    names = warm.read_text().split()
    assert "json" in names and "os" in names and len(names) == len(set(names))
    assert "tests.test_forkserver" not in names  # not a library module


def test_run_deploy_reports_a_warm_file_it_cannot_write(tmp_path, monkeypatch, capfd):
    (tmp_path / "file").write_text("")
    monkeypatch.setattr(deploy, "main", lambda argv: __import__("fs_new_module_x") and 0)
    (tmp_path / "fs_new_module_x.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(forkserver, "LIBRARY_DIRS", (str(tmp_path) + os.sep,))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    cwd = os.getcwd()
    env = dict(os.environ)
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        code = forkserver.run_deploy({"argv": ["a"], "cwd": str(tmp_path), "env": env},
                                     [os.dup(0), os.dup(1), os.dup(2)], str(tmp_path / "file" / "warm.txt"))
    finally:
        os.chdir(cwd)
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])
        sys.modules.pop("fs_new_module_x", None)
    assert code == 0
    assert "cannot record warm modules" in capfd.readouterr().err


def test_exit_status_is_pythons():
    assert forkserver.exit_status(SystemExit()) == 0
    assert forkserver.exit_status(SystemExit(4)) == 4


def test_deploy_hands_itself_to_the_server(server, tmp_path, monkeypatch):
    path, _ = server
    monkeypatch.setenv(forkserver.ENV, path)
    monkeypatch.setattr(sys, "argv", ["deploy", "exit", "7"])
    sys.modules.pop("awssim_mock.deploy", None)
    import runpy
    try:
        with pytest.raises(SystemExit) as exc:
            runpy.run_module("awssim_mock.deploy", run_name="__main__")
    finally:
        sys.modules["awssim_mock.deploy"] = deploy
    assert exc.value.code == 7
    json.dumps({})  # keeps json imported for the module list test


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_module_entry_point(tmp_path, monkeypatch):
    import gc
    import runpy
    monkeypatch.setattr(sys, "argv", ["forkserver", "--socket", str(tmp_path / "no" / "dir.sock")])
    try:
        with pytest.raises(OSError):
            runpy.run_module("awssim_mock.forkserver", run_name="__main__")
    finally:
        gc.enable()


def test_the_socket_appears_only_once_it_listens(tmp_path, monkeypatch):
    """The server binds a temporary name and renames it into place after listen(): a client that
    sees the path is never refused (it then ran the deploy itself). A path too long for the
    temporary name is bound in place, and works too."""
    for name in ("s", "x" * (100 - len(str(tmp_path)) - len("/.sock"))):
        pid, path, _ = start_server(tmp_path, name)
        assert len(os.fsencode(path)) <= 100
        assert forkserver.delegate(["exit", "4"], path) == 4
        assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []
        assert os.waitstatus_to_exitcode(stop_server(pid)) == 0
