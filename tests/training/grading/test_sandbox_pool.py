"""Each running sandboxed kernel leases a pool user of its own (toolkit.training.grading.sandbox.Lease)."""

from __future__ import annotations

import os

import pytest

from toolkit.training.grading import sandbox


def test_concurrent_kernels_get_different_users_and_a_full_pool_waits_then_says_why():
    if os.geteuid() != 0 or not sandbox.pool_users():
        pytest.skip("需要 root 和评分沙箱用户池（make setup）")
    pool = sandbox.pool_users()
    # the pool is the machine's: a grading test on the other worker may hold a user for a while
    # (its kernel's run), so taking the whole pool waits as long as a kernel may run
    leases = [sandbox.Lease(wait=300) for _ in pool]
    try:
        assert sorted(lease.uid for lease in leases) == sorted(uid for _, uid, _ in pool)   # all different
        with pytest.raises(RuntimeError) as err:
            sandbox.Lease(wait=0.5)
        assert "一直被其他内核占用" in str(err.value)
        freed = leases.pop()
        freed.release()
        again = sandbox.Lease(wait=300)
        assert again.uid not in {lease.uid for lease in leases}   # the freed user (or one freed elsewhere)
        leases.append(again)
    finally:
        for lease in leases:
            lease.release()


def test_a_kernel_cgroup_bounds_processes_and_is_removed_with_what_is_left_in_it():
    import subprocess
    import sys

    cgroup = sandbox.KernelCgroup.create(sandbox.default_limits())
    if cgroup is None:
        pytest.skip("这台机器不允许建 cgroup")
    code = ("import os, time\nn = 0\ntry:\n    while n < 2000:\n        if os.fork() == 0:\n"
            "            time.sleep(60); os._exit(0)\n        n += 1\nexcept OSError:\n    pass\nprint(n, flush=True)\n"
            "time.sleep(60)")
    child = subprocess.Popen(cgroup.join_command() + [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        forked = int(child.stdout.readline())
        assert forked < sandbox.default_limits().processes            # stopped at the cgroup's pids.max
        assert len(cgroup.pids()) == forked + 1
    finally:
        cgroup.remove()
        child.wait(30)
    assert all(not os.path.exists(d) for d in cgroup.dirs)
