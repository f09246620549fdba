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
* ``setpriv`` (when the grader runs as root) switches to an unprivileged user of the *pool*
  ``jiuzhu-sandbox-1`` … ``jiuzhu-sandbox-N`` (created by ``tools/sandbox-user.sh`` from
  ``make setup``), with no capabilities and ``no_new_privs``; the environment is cleared (the
  grader's environment never reaches the kernel).  Each running kernel *leases* a pool user of its
  own (:class:`Lease`, a lock file under ``/run/jiuzhu-sandbox``), so ``RLIMIT_NPROC`` counts the
  processes of one submission only: a kernel that forks to its limit does not stop another's;
* where the machine lets root make cgroups (v2, or v1's ``memory`` and ``pids`` hierarchies),
  each kernel gets its own cgroup (:class:`KernelCgroup`): the memory of all its processes
  together and their number are bounded, not only each process's address space;
* in a grading worker (:func:`private_mounts`), each kernel's run folder -- the submission's
  scratch copy and the ipc sockets -- is a size-limited tmpfs in the worker's own mount
  namespace, so a kernel cannot fill the host's disk; it vanishes with the worker.

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
POOL_PREFIX = "jiuzhu-sandbox-"       # the pool users jiuzhu-sandbox-1 … jiuzhu-sandbox-N
POOL_MAX = 64
LEASE_DIR = "/run/jiuzhu-sandbox"
CGROUP_NAME = "jiuzhu-sandbox"
RUN_BASE_ENV = "JIUZHU_SANDBOX_RUN"
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "alternatives",
             "mime.types", "nsswitch.conf", "matplotlibrc")

TEXT = {
    "no_bwrap": "未找到 bwrap（Debian 软件包 bubblewrap）",
    "no_user": f"未找到评分沙箱专用的系统用户 {POOL_PREFIX}1 等（每个运行中的内核各用一个）",
    "pool_busy": "评分沙箱的 {count} 个系统用户在 {seconds} 秒内一直被其他内核占用",
    "no_prlimit": "未找到 prlimit / setpriv（Debian 软件包 util-linux）",
    "probe_failed": "试运行沙箱失败：{detail}",
    "refused": ("！！！评分沙箱不可用：{reason}。\n"
                "！！！学员代码若在沙箱外运行，就能读取、改写评分数据库、课程源文件和其他学员的作答。\n"
                "未评分任何提交。请以 root 身份运行 make setup（安装 bubblewrap 并创建用户 "
                f"{POOL_PREFIX}1 … {POOL_PREFIX}N）后重试。\n"
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
    scratch_bytes: int
    notebook_bytes: int
    pool_wait_seconds: int


@functools.lru_cache(maxsize=1)
def default_limits() -> Limits:
    """The limits of ``sandbox_limits.yaml`` (package data)."""
    import yaml

    text = resources.files("toolkit.training.grading").joinpath("sandbox_limits.yaml").read_text("utf-8")
    data = yaml.safe_load(text)["limits"]
    return Limits(**{f.name: int(data[f.name]) for f in fields(Limits)})


# --------------------------------------------------------------------------- availability

def sandbox_user() -> tuple[int, int] | None:
    """(uid, gid) of the first pool user; ``None`` when the set-up has not created the pool."""
    pool = pool_users()
    return pool[0][1:] if pool else None


def pool_users() -> list[tuple[str, int, int]]:
    """(name, uid, gid) of every pool user ``jiuzhu-sandbox-1`` … that exists, in order."""
    found = []
    for number in range(1, POOL_MAX + 1):
        try:
            entry = pwd.getpwnam(f"{POOL_PREFIX}{number}")
        except KeyError:
            break
        found.append((entry.pw_name, entry.pw_uid, entry.pw_gid))
    return found


class Lease:
    """One pool user held for one kernel: an exclusive lock on ``/run/jiuzhu-sandbox/<user>.lock``.

    The lock is held by this process's open file and released by :meth:`release`, or by the
    operating system when the process dies, so a killed worker never keeps a user."""

    def __init__(self, wait: float | None = None) -> None:
        import fcntl

        pool = pool_users()
        if not pool:
            raise RuntimeError(TEXT["no_user"])
        os.makedirs(LEASE_DIR, mode=0o700, exist_ok=True)
        wait = default_limits().pool_wait_seconds if wait is None else wait
        deadline = time.monotonic() + wait
        while True:
            for name, uid, gid in pool:
                fd = os.open(os.path.join(LEASE_DIR, f"{name}.lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    os.close(fd)
                    continue
                self.fd, self.user, self.uid, self.gid = fd, name, uid, gid
                return
            if time.monotonic() > deadline:
                raise RuntimeError(TEXT["pool_busy"].format(count=len(pool), seconds=int(wait)))
            time.sleep(0.2)

    def release(self) -> None:
        if getattr(self, "fd", None) is not None:
            os.close(self.fd)
            self.fd = None


def _as_root() -> bool:
    return os.geteuid() == 0


@functools.lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """``None`` when a sandboxed kernel can be started here, else the reason (Chinese)."""
    for tool, key in (("bwrap", "no_bwrap"), ("prlimit", "no_prlimit"), ("setpriv", "no_prlimit")):
        if shutil.which(tool) is None:
            return TEXT[key]
    if _as_root() and not pool_users():
        return TEXT["no_user"]
    lease = Lease(wait=60) if _as_root() else None
    try:
        with tempfile.TemporaryDirectory(prefix="jzsbx-probe-") as scratch:
            cmd = wrap_command([sys.executable, "-c", "import toolkit"], scratch=scratch,
                               workdir=scratch, rundir=None, uid=lease and (lease.uid, lease.gid))
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                                      env=_launch_env({}))
            except (OSError, subprocess.TimeoutExpired) as err:
                return TEXT["probe_failed"].format(detail=type(err).__name__)
    except RuntimeError as err:       # every pool user busy for a minute
        return str(err)
    finally:
        if lease:
            lease.release()
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"退出码 {done.returncode}"])[-1][:200]
        return TEXT["probe_failed"].format(detail=detail)
    return None


# --------------------------------------------------------------------------- the command line

def _read_only_roots() -> list[str]:
    """What a kernel needs to read: Python, the virtual environment and the toolkit package."""
    import toolkit

    roots = {sys.base_prefix, sys.prefix, str(Path(toolkit.__file__).resolve().parent)}
    # site directories a .pth file of the venv adds (a venv that shares another's packages);
    # only folders named site-packages/dist-packages: never a source tree on sys.path
    roots |= {p for p in sys.path if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()
              and not any(p.startswith(r.rstrip("/") + "/") for r in roots)}
    return sorted(p for p in roots if not p.startswith("/usr/") and p != "/usr")


def _parents(path: str) -> list[str]:
    parts = Path(path).parts
    return [str(Path(*parts[:i])) for i in range(2, len(parts))]


def wrap_command(cmd: list[str], *, scratch: str, workdir: str, rundir: str | None,
                 limits: Limits | None = None, env: dict[str, str] | None = None,
                 uid: tuple[int, int] | None = None, cgroup: "KernelCgroup | None" = None) -> list[str]:
    """The command that runs ``cmd`` in the sandbox.

    ``scratch`` (a private copy of the submission, owned by the sandbox user) is mounted writable
    at ``workdir`` (the folder nbgrader runs the notebook from) and becomes the working directory;
    ``rundir`` (connection file and ipc sockets) is mounted writable at its own path.  As root,
    ``uid`` is the (uid, gid) the kernel runs as (a :class:`Lease`'s); with ``cgroup`` the
    command first moves itself into that cgroup (so does everything it starts).
    """
    limits = limits or default_limits()
    argv = cgroup.join_command() if cgroup else []
    argv += ["prlimit", f"--as={limits.memory_bytes}", f"--nproc={limits.processes}",
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
        uid, gid = uid or (65534, 65534)     # nobody, should a caller forget to lease
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

_PRIVATE_MOUNTS = False      # set in a grading worker that has its own mount namespace


def private_mounts() -> bool:
    """Give this process (a grading worker, before it starts any thread) its own mount namespace.

    Then every kernel's run folder can be a size-limited tmpfs (:func:`make_scratch`) that no
    one else sees and that vanishes with the process, even when it is killed.  Root only;
    ``False`` where it cannot be had (the run folders are then plain folders)."""
    global _PRIVATE_MOUNTS
    if not _as_root() or not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    clone_newns, ms_rec, ms_private = 0x00020000, 0x4000, 1 << 18
    if libc.unshare(clone_newns) != 0 or libc.mount(b"none", b"/", None, ms_rec | ms_private, None) != 0:
        return False
    _PRIVATE_MOUNTS = True
    return True


def _mount_tmpfs(path: str, size: int, uid: int, gid: int) -> bool:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700,uid={uid},gid={gid},nosuid,nodev",
                           "jzsbx", path], capture_output=True, env=_launch_env({}))
    return done.returncode == 0


def make_scratch(workdir: str, owner: tuple[int, int] | None = None,
                 limits: Limits | None = None) -> tuple[str, str]:
    """A private run folder holding a copy of ``workdir``: (rundir, scratch), owned by ``owner``.

    It is made under ``$JIUZHU_SANDBOX_RUN`` when set (the grader's own temporary folder, removed
    at the end of the batch even when a worker was killed), else in the system's temporary folder;
    in a worker with :func:`private_mounts` it is a tmpfs of ``scratch_bytes``.  Only regular files
    and folders are copied (:func:`toolkit.training.trainee.untrusted.copy_tree`): no link or special file
    of the submission reaches the kernel.
    """
    from toolkit.training.trainee.untrusted import copy_tree

    limits = limits or default_limits()
    base = os.environ.get(RUN_BASE_ENV)
    rundir = tempfile.mkdtemp(prefix="jzsbx-", dir=base if base and os.path.isdir(base) else None)
    if _PRIVATE_MOUNTS and owner:
        _mount_tmpfs(rundir, limits.scratch_bytes, *owner)
    scratch = os.path.join(rundir, "work")
    if os.path.isdir(workdir):
        copy_tree(workdir, scratch, uid=owner[0] if owner else None, gid=owner[1] if owner else None)
    else:
        os.mkdir(scratch)
        if owner:
            os.chown(scratch, *owner)
    if owner:
        os.chown(rundir, *owner)
    os.chmod(rundir, 0o700)
    return rundir, scratch


def remove_scratch(rundir: str | None) -> None:
    if rundir and os.path.isdir(rundir):
        if _PRIVATE_MOUNTS and os.path.ismount(rundir):
            subprocess.run(["umount", "-l", rundir], capture_output=True, env=_launch_env({}))
        shutil.rmtree(rundir, ignore_errors=True)


# --------------------------------------------------------------------------- cgroups

class KernelCgroup:
    """A cgroup of one kernel: memory of all its processes together and their number bounded.

    cgroup v2 (``/sys/fs/cgroup/cgroup.controllers`` with ``memory`` and ``pids``) or v1 (the
    ``memory`` and ``pids`` hierarchies); :meth:`create` returns ``None`` where root cannot make one.
    """

    def __init__(self, dirs: list[str]) -> None:
        self.dirs = dirs

    @classmethod
    def create(cls, limits: Limits | None = None) -> "KernelCgroup | None":
        if not _as_root():
            return None
        limits = limits or default_limits()
        name = f"k{os.getpid()}-{os.urandom(4).hex()}"
        try:
            return cls._v2(name, limits) or cls._v1(name, limits)
        except OSError:
            return None

    @staticmethod
    def _own(controller: str) -> str:
        """This process's cgroup in a hierarchy ("" for v2): kernels' cgroups go below it, so
        any limit the machine already sets on the grader bounds them too."""
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, names, path = line.split(":", 2)
            if controller in names.split(","):
                return path.lstrip("/")
        return ""

    @classmethod
    def _v2(cls, name: str, limits: Limits) -> "KernelCgroup | None":
        mount = Path("/sys/fs/cgroup")
        controllers = mount / "cgroup.controllers"
        if not controllers.exists() or not {"memory", "pids"} <= set(controllers.read_text().split()):
            return None
        root = mount / cls._own("")
        parent = root / CGROUP_NAME
        (root / "cgroup.subtree_control").write_text("+memory +pids")
        parent.mkdir(exist_ok=True)
        (parent / "cgroup.subtree_control").write_text("+memory +pids")
        cls._sweep(parent)
        group = parent / name
        group.mkdir()
        (group / "memory.max").write_text(str(limits.memory_bytes))
        if (group / "memory.swap.max").exists():
            (group / "memory.swap.max").write_text("0")
        (group / "pids.max").write_text(str(limits.processes))
        return cls([str(group)])

    @classmethod
    def _v1(cls, name: str, limits: Limits) -> "KernelCgroup | None":
        memory, pids = Path("/sys/fs/cgroup/memory"), Path("/sys/fs/cgroup/pids")
        if not (memory / "cgroup.procs").exists() or not (pids / "cgroup.procs").exists():
            return None
        made = []
        try:
            for hierarchy in (memory, pids):
                parent = hierarchy / cls._own(hierarchy.name) / CGROUP_NAME
                parent.mkdir(exist_ok=True)
                cls._sweep(parent)
                (parent / name).mkdir()
                made.append(str(parent / name))
            group = Path(made[0])
            (group / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
            if (group / "memory.memsw.limit_in_bytes").exists():
                (group / "memory.memsw.limit_in_bytes").write_text(str(limits.memory_bytes))
            (Path(made[1]) / "pids.max").write_text(str(limits.processes))
        except OSError:
            cls(made).remove()
            raise
        return cls(made)

    @staticmethod
    def _sweep(parent: Path) -> None:
        """Remove cgroups left by a grader that died (named ``k<pid>-…``, pid gone, no process)."""
        for child in parent.glob("k*-*"):
            try:
                pid = int(child.name[1:].split("-")[0])
                os.kill(pid, 0)
                continue
            except ProcessLookupError:
                pass
            except (ValueError, PermissionError):
                continue
            try:
                if not (child / "cgroup.procs").read_text().strip():
                    os.rmdir(child)
            except OSError:
                pass

    def join_command(self) -> list[str]:
        """A prefix that moves the command into this cgroup before anything else runs."""
        script = 'for f do [ "$f" = -- ] && break; echo $$ > "$f" || exit 126; shift; done; shift; exec "$@"'
        return ["/bin/sh", "-c", script, "jzsbx-cgroup",
                *(os.path.join(d, "cgroup.procs") for d in self.dirs), "--"]

    def pids(self) -> list[int]:
        found: set[int] = set()
        for folder in self.dirs:
            try:
                found.update(int(p) for p in Path(folder, "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                pass
        return sorted(found)

    def remove(self) -> None:
        """End every process still in the cgroup, then remove it."""
        for _ in range(200):
            alive = self.pids()
            if not alive:
                break
            for pid in alive:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        for folder in self.dirs:
            try:
                os.rmdir(folder)
            except OSError:
                pass


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
    lease: Lease | None = None
    cgroup: KernelCgroup | None = None
    _began = 0.0        # pre_launch's start and the private copy's seconds, for PhaseClock
    _setup_s = 0.0

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        self._began = time.perf_counter()
        workdir = os.path.abspath(kwargs.get("cwd") or os.getcwd())
        if _as_root() and self.lease is None:
            self.lease = Lease()
        owner = (self.lease.uid, self.lease.gid) if self.lease else None
        self.rundir, scratch = make_scratch(workdir, owner)
        self.cgroup = self.cgroup or KernelCgroup.create()
        self._setup_s = time.perf_counter() - self._began
        km.transport = "ipc"
        km.ip = os.path.join(self.rundir, "k")
        km.connection_file = os.path.join(self.rundir, "connection.json")
        kwargs = await super().pre_launch(**kwargs)
        if owner:
            os.chown(km.connection_file, *owner)
        kwargs["cmd"] = wrap_command(kwargs["cmd"], scratch=scratch, workdir=workdir,
                                     rundir=self.rundir, env=kwargs.get("env") or {}, uid=owner,
                                     cgroup=self.cgroup)
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
        if self.cgroup is not None:
            self.cgroup.remove()          # whatever the kernel left behind ends with it
            self.cgroup = None
        if not restart:
            remove_scratch(self.rundir)
            self.rundir = None
            if self.lease is not None:
                self.lease.release()
                self.lease = None
