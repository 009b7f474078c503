"""Run a command and measure it as a whole process, for the benchmarks.

Usage: python3 run_measured.py RESULT_FILE COMMAND [ARG ...]
Runs COMMAND with this process's stdin, stdout and stderr, waits for it, and writes
{"exitCode", "seconds", "userSeconds", "systemSeconds", "cpuSeconds", "peakRssBytes"} as JSON
to RESULT_FILE, then exits with the command's status. seconds is the wall time from just
before the command is started to its exit; the CPU figures are getrusage(RUSAGE_CHILDREN):
every thread of the command and of the processes it waited for (a shell's pipeline, say),
start-up included. This wrapper's own start-up is not counted. The same measure serves
every side of a comparison (Node, Python, GNU tar, gzip).
"""
import json
import resource
import subprocess
import sys
import time


def main() -> None:
    result_file, command = sys.argv[1], sys.argv[2:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    code = subprocess.call(command)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    # ru_maxrss: kilobytes on Linux (bytes on macOS); the largest child's peak.
    peak = after.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    with open(result_file, "w", encoding="utf-8") as out:
        json.dump(
            {"exitCode": code, "seconds": seconds, "userSeconds": user, "systemSeconds": system, "cpuSeconds": user + system, "peakRssBytes": peak},
            out,
        )
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
