"""What a server process has used so far, read from Linux's ``/proc``: resident memory and
CPU time. CPU time divided by the requests served is the cost of a request, a figure that
holds on a shared machine where latencies do not (another process on the same cores makes
a request wait, not work more)."""

from __future__ import annotations

from pathlib import Path


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid``'s threads, to the nanosecond (``schedstat``; the ticks of ``stat``
    are 10 ms, too coarse for a phase of a few hundred requests). Threads that have ended
    no longer count: a server's threads (its event loop, its executor's pool) live as
    long as it does, so the difference of two readings is the work in between."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while the list was read
    return total / 1e9
