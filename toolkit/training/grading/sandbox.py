"""The autograde sandbox: every kernel that runs a trainee's code runs inside it.

How a sandboxed kernel is started (one function, :func:`wrap_command`, builds the command line,
so that other launchers -- e.g. a pool of warm kernels -- can reuse it):

* ``prlimit`` sets resource limits (address space, processes of the sandbox user, CPU seconds,
  file size, open files; no core dumps) from ``sandbox_limits.yaml``;
* ``bwrap`` (Debian's ``bubblewrap``) gives the kernel its own pid, network, IPC and UTS
  namespaces and a new session, and an empty root file system in which only what a kernel needs is
  mounted read-only (``/usr``, the Python installation, the virtual environment, the ``toolkit``
  package and a few files of ``/etc``); ``/tmp`` is a small private tmpfs; the *scratch copy* of
  the one submission being graded is the only writable place, mounted at the path nbgrader runs
  the notebook from.  The course source, the gradebook, ``nbgrader_config.py``, other submissions
  and ``/etc/shadow`` are not in the kernel's file system at all.  ``--die-with-parent`` and the
  pid namespace mean that when the kernel (or the grader) ends, everything it started is killed
  by the kernel of the operating system, including children started with ``start_new_session``;
* ``setpriv`` (when the grader runs as root) switches to the unprivileged user ``jiuzhu-sandbox``
  (created by ``tools/sandbox-user.sh`` from ``make setup``), with no capabilities and
  ``no_new_privs``; the environment is cleared (the grader's environment never reaches the kernel).

The network namespace has no interface but its own loopback, so ZeroMQ over TCP cannot reach the
kernel: :class:`SandboxProvisioner` (a jupyter_client kernel provisioner, registered as the entry
point ``jiuzhu-sandbox`` and named by the kernel spec written by :func:`install_kernelspec`)
switches the connection to ``transport: ipc`` -- Unix sockets in a private run folder that is
mounted into the sandbox at the same path -- and interrupts by message (signals do not cross
into the pid namespace).  nbgrader's ``Execute`` preprocessor starts this kernel like any other:
``c.Execute.kernel_name = "jiuzhu-sandbox"``.

Everything a trainer reads from this module is in ``TEXT``.
"""

from __future__ import annotations

import functools
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

KERNEL_NAME = "jiuzhu-sandbox"
PROVISIONER_NAME = "jiuzhu-sandbox"
SANDBOX_USER = "jiuzhu-sandbox"
RUN_BASE_ENV = "JIUZHU_SANDBOX_RUN"
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "alternatives",
             "mime.types", "nsswitch.conf", "matplotlibrc")

TEXT = {
    "no_bwrap": "未找到 bwrap（Debian 软件包 bubblewrap）",
    "no_user": f"未找到评分沙箱专用的系统用户 {SANDBOX_USER}",
    "no_prlimit": "未找到 prlimit / setpriv（Debian 软件包 util-linux）",
    "probe_failed": "试运行沙箱失败：{detail}",
    "refused": ("！！！评分沙箱不可用：{reason}。\n"
                "！！！学员代码若在沙箱外运行，就能读取、改写评分数据库、课程源文件和其他学员的作答。\n"
                "未评分任何提交。请以 root 身份运行 make setup（安装 bubblewrap 并创建用户 "
                f"{SANDBOX_USER}）后重试。\n"
                "只有在确认所有提交都可信时，才可加 --unsafe-no-sandbox 在沙箱外评分。"),
    "unsafe": ("！！！警告：已按 --unsafe-no-sandbox 在沙箱外运行学员代码（{reason}）。"
               "学员代码拥有与评分程序相同的权限。"),
}


@dataclass(frozen=True)
class Limits:
    memory_bytes: int
    processes: int
    cpu_seconds: int
    file_bytes: int
    open_files: int
    output_bytes: int
    tmp_bytes: int


@functools.lru_cache(maxsize=1)
def default_limits() -> Limits:
    """The limits of ``sandbox_limits.yaml`` (package data)."""
    import yaml

    text = resources.files("toolkit.training.grading").joinpath("sandbox_limits.yaml").read_text("utf-8")
    data = yaml.safe_load(text)["limits"]
    return Limits(**{f.name: int(data[f.name]) for f in fields(Limits)})


# --------------------------------------------------------------------------- availability

def sandbox_user() -> tuple[int, int] | None:
    """(uid, gid) of the sandbox user; ``None`` when the set-up has not created it."""
    try:
        entry = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def _as_root() -> bool:
    return os.geteuid() == 0


@functools.lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """``None`` when a sandboxed kernel can be started here, else the reason (Chinese)."""
    for tool, key in (("bwrap", "no_bwrap"), ("prlimit", "no_prlimit"), ("setpriv", "no_prlimit")):
        if shutil.which(tool) is None:
            return TEXT[key]
    if _as_root() and sandbox_user() is None:
        return TEXT["no_user"]
    with tempfile.TemporaryDirectory(prefix="jzsbx-probe-") as scratch:
        cmd = wrap_command([sys.executable, "-c", "import toolkit"], scratch=scratch,
                           workdir=scratch, rundir=None)
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                                  env=_launch_env({}))
        except (OSError, subprocess.TimeoutExpired) as err:
            return TEXT["probe_failed"].format(detail=type(err).__name__)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"退出码 {done.returncode}"])[-1][:200]
        return TEXT["probe_failed"].format(detail=detail)
    return None


# --------------------------------------------------------------------------- the command line

def _read_only_roots() -> list[str]:
    """What a kernel needs to read: Python, the virtual environment and the toolkit package."""
    import toolkit

    roots = {sys.base_prefix, sys.prefix, str(Path(toolkit.__file__).resolve().parent)}
    return sorted(p for p in roots if not p.startswith("/usr/") and p != "/usr")


def _parents(path: str) -> list[str]:
    parts = Path(path).parts
    return [str(Path(*parts[:i])) for i in range(2, len(parts))]


def wrap_command(cmd: list[str], *, scratch: str, workdir: str, rundir: str | None,
                 limits: Limits | None = None, env: dict[str, str] | None = None) -> list[str]:
    """The command that runs ``cmd`` in the sandbox.

    ``scratch`` (a private copy of the submission, owned by the sandbox user) is mounted writable
    at ``workdir`` (the folder nbgrader runs the notebook from) and becomes the working directory;
    ``rundir`` (connection file and ipc sockets) is mounted writable at its own path.
    """
    limits = limits or default_limits()
    argv = ["prlimit", f"--as={limits.memory_bytes}", f"--nproc={limits.processes}",
            f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 5}", f"--fsize={limits.file_bytes}",
            f"--nofile={limits.open_files}", "--core=0", "--",
            "bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if not _as_root():
        argv.append("--unshare-user")
    argv += ["--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        host = Path("/") / link
        if host.is_symlink():
            argv += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            argv += ["--ro-bind", str(host), str(host)]
    argv += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
             "--perms", "0755", "--dir", "/etc"]
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            argv += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    mounts = [(p, p, "--ro-bind") for p in _read_only_roots()]
    if rundir:
        mounts.append((rundir, rundir, "--bind"))
    mounts.append((scratch, workdir, "--bind"))
    made: set[str] = {"/", "/tmp", "/etc", "/usr"}
    for _, dest, _ in mounts:
        for parent in _parents(dest):
            if parent not in made:
                argv += ["--perms", "0755", "--dir", parent]
                made.add(parent)
    for src, dest, kind in mounts:
        argv += [kind, src, dest]
    argv += ["--chdir", workdir, "--clearenv"]
    for key, value in _kernel_env(env or {}).items():
        argv += ["--setenv", key, value]
    argv.append("--")
    if _as_root():
        uid, gid = sandbox_user() or (65534, 65534)
        argv += ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return argv + list(cmd)


def _kernel_env(extra: dict[str, str]) -> dict[str, str]:
    """The whole environment of a sandboxed kernel: nothing of the grader's passes through."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp", "USER": SANDBOX_USER, "LOGNAME": SANDBOX_USER,
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
        "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
        "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
    }
    keep = ("NBGRADER_EXECUTION", "JPY_SESSION_NAME", "PYDEVD_DISABLE_FILE_VALIDATION", "TZ")
    env.update({k: v for k, v in extra.items() if k in keep})
    return env


def _launch_env(env: dict[str, str]) -> dict[str, str]:
    """Environment of the ``prlimit`` process itself (bwrap clears it for the kernel)."""
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", **{
        k: v for k, v in env.items() if k in ("LANG", "LC_ALL")}}


# --------------------------------------------------------------------------- scratch and run folders

def make_scratch(workdir: str) -> tuple[str, str]:
    """A private run folder holding a copy of ``workdir``: (rundir, scratch), owned by the sandbox user.

    It is made under ``$JIUZHU_SANDBOX_RUN`` when set (the grader's own temporary folder, removed
    at the end of the batch even when a worker was killed), else in the system's temporary folder.
    """
    base = os.environ.get(RUN_BASE_ENV)
    rundir = tempfile.mkdtemp(prefix="jzsbx-", dir=base if base and os.path.isdir(base) else None)
    scratch = os.path.join(rundir, "work")
    if os.path.isdir(workdir):
        shutil.copytree(workdir, scratch, symlinks=True)
    else:
        os.mkdir(scratch)
    owner = sandbox_user() if _as_root() else None
    if owner:
        for base, dirs, files in os.walk(rundir):
            for name in [base, *(os.path.join(base, n) for n in dirs + files)]:
                os.lchown(name, *owner)
    os.chmod(rundir, 0o700)
    return rundir, scratch


def remove_scratch(rundir: str | None) -> None:
    if rundir and os.path.isdir(rundir):
        shutil.rmtree(rundir, ignore_errors=True)


# --------------------------------------------------------------------------- jupyter_client hooks

def install_kernelspec(data_dir: str | os.PathLike) -> str:
    """Write the ``jiuzhu-sandbox`` kernel spec under ``data_dir/kernels``; return its name.

    Put ``data_dir`` first on ``JUPYTER_PATH`` (the grading workers do) and set
    ``c.Execute.kernel_name = KERNEL_NAME``.
    """
    folder = Path(data_dir) / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        # ipykernel_launcher without the debugger (never attached; ≈ 0.15 s of imports per kernel)
        # and, as nbclient does for kernels named python3, no history database on disk
        "argv": [sys.executable, "-m", "toolkit.kernels.launcher", "-f", "{connection_file}",
                 "--HistoryManager.hist_file=:memory:"],
        "display_name": "Python 3（评分沙箱）",
        "language": "python",
        "interrupt_mode": "message",
        "metadata": {"kernel_provisioner": {"provisioner_name": PROVISIONER_NAME}},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1), "utf-8")
    return KERNEL_NAME


def sandbox_nbgrader_autograde(c, course_root: str | os.PathLike) -> None:
    """Make nbgrader's own autograde (formgrader's Autograde button, plain ``nbgrader autograde``)
    start trainees' kernels in the sandbox too: a hub course's ``nbgrader_config.py`` calls this.

    The kernel spec names this process's Python, so each environment gets its own spec folder
    under ``<course>/.jiuzhu/`` (the trainer's side).  Where the sandbox cannot be had, the kernel
    fails to start and nothing runs unsandboxed.
    """
    import hashlib

    tag = hashlib.sha256(sys.executable.encode()).hexdigest()[:10]
    specs = Path(course_root) / ".jiuzhu" / f"kernels-{tag}"
    install_kernelspec(specs)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(specs), os.environ.get("JUPYTER_PATH")]))
    c.Execute.kernel_name = KERNEL_NAME


from jupyter_client.provisioning import LocalProvisioner  # noqa: E402  (jupyter_client is a dependency)


class SandboxProvisioner(LocalProvisioner):
    """A local kernel, started in the sandbox, reached over ipc sockets in a private run folder."""

    rundir: str | None = None
    _began = 0.0        # pre_launch's start and the private copy's seconds, for PhaseClock
    _setup_s = 0.0

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        self._began = time.perf_counter()
        workdir = os.path.abspath(kwargs.get("cwd") or os.getcwd())
        self.rundir, scratch = make_scratch(workdir)
        self._setup_s = time.perf_counter() - self._began
        km.transport = "ipc"
        km.ip = os.path.join(self.rundir, "k")
        km.connection_file = os.path.join(self.rundir, "connection.json")
        kwargs = await super().pre_launch(**kwargs)
        owner = sandbox_user() if _as_root() else None
        if owner:
            os.chown(km.connection_file, *owner)
        kwargs["cmd"] = wrap_command(kwargs["cmd"], scratch=scratch, workdir=workdir,
                                     rundir=self.rundir, env=kwargs.get("env") or {})
        kwargs["env"] = _launch_env(kwargs.get("env") or {})
        kwargs["cwd"] = self.rundir
        # the kernel's own console chatter must not reach the trainer's terminal
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        return kwargs

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        from toolkit.kernels import note_launch

        info = await super().launch_kernel(cmd, **kwargs)
        note_launch(False, time.perf_counter() - self._began, setup_s=self._setup_s)
        return info

    async def send_signal(self, signum: int) -> None:
        # only SIGKILL/SIGTERM make sense across the pid namespace; interrupts go by message
        if signum == signal.SIGINT:
            return
        await super().send_signal(signum)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
            self.process.wait()
        if not restart:
            remove_scratch(self.rundir)
            self.rundir = None
