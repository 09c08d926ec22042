"""A process's own peak memory, not its parent's.

`getrusage(...).ru_maxrss` survives `exec` on Linux: a process started by a
large one (the benchmark's own processes hold a corpus) reports at least the
parent's resident size at the fork, whatever it used itself — a 400 MB parent
makes a 13 MB child report 413 MB. The high-water mark of the process's own
memory map (`VmHWM` in /proc/self/status) starts afresh at `exec`, so that is
what every memory figure reads; elsewhere `ru_maxrss` is the fallback.
"""

from __future__ import annotations

import resource


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB (2^20 bytes)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
