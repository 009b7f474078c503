import { readFileSync } from 'node:fs';

/** CPU seconds a running process has used so far (Linux /proc), or NaN where that cannot be read. */
export function processCpuSeconds(pid: number): number {
  try {
    // After the command name: state is field 3, utime 14 and stime 15 (clock ticks, 100 a second).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
