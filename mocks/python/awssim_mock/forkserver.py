"""A warm process that runs each deploy in a fork of itself, so a deploy does not import Pulumi, the
AWS provider SDK and boto3 again (importing them was most of a Python deploy's CPU).

  python -m awssim_mock.forkserver --socket PATH [--warm FILE]

`awssim replay` starts one per run when a scenario deploys the Python program, and gives its
children AWSSIM_PY_DEPLOY_SERVER=PATH. `python -m awssim_mock.deploy ARGS` then hands its arguments,
environment, working directory and stdin/stdout/stderr to the server (delegate()) and exits with the
status of the deploy the server forked: the fork runs deploy.main(ARGS) in that directory with that
environment and those files, as the process itself would have. When nothing answers at PATH (or the
variable is unset) the deploy runs in its own process as before.

The server imports awssim_mock.deploy (Pulumi, boto3) and every library module an earlier deploy
imported: each fork adds the modules it imported from site-packages or the standard library to
FILE (default mocks/python/.awssim-build/warm-modules.txt), and the server imports what is new there
before the next fork. The program's own modules are never imported ahead: they run in each deploy.
If a client goes away (the replay's step timeout kills it), its fork is killed. The server stops on
SIGTERM or SIGINT, or when its parent (the replay) exits.
"""

import argparse
import contextlib
import fcntl
import gc
import importlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import sysconfig
import threading
import traceback

ENV = "AWSSIM_PY_DEPLOY_SERVER"
WARM_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".awssim-build",
                         "warm-modules.txt")
LIBRARY_DIRS = tuple(sorted({os.path.realpath(sysconfig.get_paths()[k]) + os.sep
                             for k in ("purelib", "platlib", "stdlib", "platstdlib")}))


# ---- messages: a 4-byte length, then JSON; the request carries the client's stdin, stdout, stderr ----

def send_msg(sock, obj, fds=()):
    data = json.dumps(obj).encode()
    header = struct.pack("!I", len(data))
    if fds:
        socket.send_fds(sock, [header], list(fds))
    else:
        sock.sendall(header)
    sock.sendall(data)


def _recv_exact(sock, n, first=b""):
    buf = first
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def recv_msg(sock, maxfds=0):
    """(message, fds); message None when the peer closed the connection first."""
    fds = []
    if maxfds:
        first, fds, _flags, _addr = socket.recv_fds(sock, 4, maxfds)
    else:
        first = sock.recv(4)
    header = _recv_exact(sock, 4, first) if first else None
    data = header and _recv_exact(sock, struct.unpack("!I", header)[0])
    return (json.loads(data) if data is not None else None), fds


# ---- client ----

def delegate(argv, path=None):
    """Run `python -m awssim_mock.deploy argv` in the server at `path` (default $AWSSIM_PY_DEPLOY_SERVER):
    its exit status, or None when no server takes it (the caller then runs the deploy itself)."""
    path = path if path is not None else os.environ.get(ENV)
    if not path:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with sock:
        try:
            sock.connect(path)
            send_msg(sock, {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ)}, fds=(0, 1, 2))
        except OSError:
            return None
        reply, _ = recv_msg(sock)
    if reply is None:
        print("deploy failed: the deploy server went away", file=sys.stderr)
        return 1
    if "unavailable" in reply:
        return None
    if "signal" in reply:
        # die the way the fork died, so the caller sees the same crash
        signal.signal(reply["signal"], signal.SIG_DFL)
        os.kill(os.getpid(), reply["signal"])
    return reply.get("exit", 1)


# ---- what a fork runs ----

def _library_file(module):
    f = getattr(module, "__file__", None)
    return isinstance(f, str) and os.path.realpath(f).startswith(LIBRARY_DIRS)


def _lazy(module):
    """A module registered for lazy loading (importlib's or Pulumi's LazyLoader) and not loaded yet."""
    return type(module).__name__ == "_LazyModule"


def loaded_modules():
    """Names of the modules loaded so far (not lazy stubs), in the order their imports began."""
    return [n for n, m in list(sys.modules.items()) if not _lazy(m)]


def learn(before, warm_file):
    """Append the library modules loaded since `before` (a set of names) to warm_file, in order."""
    new = [n for n in loaded_modules() if n not in before and _library_file(sys.modules[n])]
    if not new:
        return
    os.makedirs(os.path.dirname(warm_file), exist_ok=True)
    with open(warm_file + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with open(warm_file, encoding="utf-8") as fh:
                known = fh.read().split()
        except FileNotFoundError:
            known = []
        seen = set(known)
        names = known + [n for n in new if n not in seen]
        tmp = f"{warm_file}.{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{n}\n" for n in names))
        os.replace(tmp, warm_file)


def load(name):
    """Load a module the way a program gets it: lazy packages above it loaded first (as an attribute
    access would), so that they import their own submodules in their own order."""
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        module = sys.modules.get(".".join(parts[:i]))
        if module is not None and _lazy(module):
            getattr(module, "__awssim_warm__", None)  # any attribute access loads a lazy module
    if name not in sys.modules:
        importlib.import_module(name)


def exit_status(exc):
    """The status Python exits with for an uncaught SystemExit."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def run_deploy(request, fds, warm_file):
    """In the fork: become the client (files, directory, environment, argv), run the deploy, learn."""
    from . import deploy

    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in set(fds) - {0, 1, 2}:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [deploy.__file__, *request["argv"]]
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.enable()
    before = set(loaded_modules())
    try:
        code = deploy.main(request["argv"])
    except SystemExit as exc:
        code = exit_status(exc)
    except BaseException:  # noqa: BLE001 - what the interpreter would print and exit 1 for
        traceback.print_exc()
        code = 1
    try:
        learn(before, warm_file)
    except OSError as exc:
        print(f"awssim_mock.forkserver: cannot record warm modules: {exc}", file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    return code


# ---- server ----

class Job:
    def __init__(self, pid, conn):
        self.pid = pid
        self.conn = conn
        self.pidfd = os.pidfd_open(pid)
        self.gone = False  # the client closed its connection


class Server:
    def __init__(self, path, warm_file=WARM_FILE):
        self.path = path
        self.warm_file = warm_file
        self.warm_seen = None
        self.jobs = []
        self.stopping = False
        self.parent = os.getppid()
        self.sel = selectors.DefaultSelector()
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # bound under a temporary name and renamed once listening: a client that sees the path can
        # connect (between bind and listen a connect is refused, and the deploy ran without the server)
        tmp = f"{path}.{os.getpid()}.tmp"
        if len(os.fsencode(tmp)) < 108:  # sun_path's size
            self.sock.bind(tmp)
            self.sock.listen(64)
            os.rename(tmp, path)
        else:  # no room for the longer name: bound in place
            self.sock.bind(path)
            self.sock.listen(64)
        self.sel.register(self.sock, selectors.EVENT_READ, None)

    def warm(self):
        """Import awssim_mock.deploy and what the warm file lists that is not imported yet."""
        from . import deploy  # noqa: F401 - imported to be inherited by every fork
        from . import bridge, runner  # noqa: F401

        try:
            stamp = os.stat(self.warm_file).st_mtime_ns
        except FileNotFoundError:
            return
        if stamp == self.warm_seen:
            return
        self.warm_seen = stamp
        with open(self.warm_file, encoding="utf-8") as fh:
            names = fh.read().split()
        for name in names:
            try:
                load(name)
            except Exception as exc:  # noqa: BLE001 - a module that cannot be imported ahead is imported by its deploy
                print(f"awssim_mock.forkserver: not warming {name}: {exc!r}", file=sys.stderr)

    def accept(self):
        conn, _ = self.sock.accept()
        try:
            request, fds = recv_msg(conn, maxfds=3)
        except (OSError, ValueError):
            conn.close()
            return
        try:
            if request is None or len(fds) != 3:
                conn.close()
                return
            self.warm()
            if threading.active_count() > 1:
                send_msg(conn, {"unavailable": "the deploy server runs threads; it cannot fork"})
                conn.close()
                return
            job = Job(self.fork(request, fds, conn), conn)
        except OSError as exc:  # fork failed: no deploy ran, the client runs it itself
            send_msg(conn, {"unavailable": f"cannot fork: {exc}"})
            conn.close()
            return
        finally:
            for fd in fds:
                os.close(fd)
        self.jobs.append(job)
        self.sel.register(conn, selectors.EVENT_READ, job)
        self.sel.register(job.pidfd, selectors.EVENT_READ, job)

    def fork(self, request, fds, conn):
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # the warm modules' objects: never scanned (nor copied) by a fork's collections
        return os.fork() or self.child(request, fds, conn)

    def child(self, request, fds, conn):
        """In the fork: drop the server's descriptors, run the deploy, exit with its status."""
        code = 1
        try:
            os.setpgid(0, 0)
            self.sel.close()
            self.sock.close()
            conn.close()
            for job in self.jobs:
                job.conn.close()
                os.close(job.pidfd)
            code = run_deploy(request, fds, self.warm_file)
        finally:
            os._exit(code)

    def event(self, key):
        job = key.data
        if key.fileobj is job.conn:
            # the client went away (or spoke out of turn): its deploy stops
            self.sel.unregister(job.conn)
            job.gone = True
            os.killpg(job.pid, signal.SIGKILL)
            return
        _, status = os.waitpid(job.pid, 0)
        if not job.gone:
            self.sel.unregister(job.conn)
        self.sel.unregister(job.pidfd)
        os.close(job.pidfd)
        self.jobs.remove(job)
        reply = {"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status) else {"exit": os.WEXITSTATUS(status)}
        try:
            send_msg(job.conn, reply)
        except OSError:
            pass
        job.conn.close()

    def serve(self, poll=1.0):
        """Until stop() (or SIGTERM/SIGINT through main()) or the parent exits."""
        self.warm()
        while not self.stopping and os.getppid() == self.parent:
            for key, _ in self.sel.select(poll):
                if key.data is None:
                    self.accept()
                else:
                    self.event(key)
        self.close()

    def stop(self, *_):
        self.stopping = True

    def close(self):
        for job in self.jobs:
            os.killpg(job.pid, signal.SIGKILL)
            os.waitpid(job.pid, 0)
            os.close(job.pidfd)
            job.conn.close()
        self.jobs = []
        self.sel.close()
        self.sock.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m awssim_mock.forkserver", description=__doc__.splitlines()[0])
    ap.add_argument("--socket", required=True, help="Unix socket path to listen on")
    ap.add_argument("--warm", default=WARM_FILE, help="modules earlier deploys imported (read and extended)")
    args = ap.parse_args(argv)
    gc.disable()  # collections before a fork would only dirty pages the forks then copy; each fork enables it
    server = Server(args.socket, args.warm)
    signal.signal(signal.SIGTERM, server.stop)
    signal.signal(signal.SIGINT, server.stop)
    server.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
