import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveKey, isJobObjectKey, manifestKey } from '../../delivery/orchestration/object-keys.js';
import { createSpool, ownerIsGone, processStartToken, removeDeadSpools } from '../../delivery/archive/spool.js';

describe('the re-run rule removes only keys of the job\'s own naming scheme', () => {
  const cases: [string, boolean][] = [
    [archiveKey('acme', 'job-1', 'tables'), true],
    [archiveKey('acme', 'job-1', 'attachments'), true],
    [archiveKey('acme', 'job-1', 'tables', 1), true],
    [archiveKey('acme', 'job-1', 'attachments', 12), true],
    [manifestKey('acme', 'job-1'), true],
    ['acme/job-1/notes.txt', false],
    ['acme/job-1/snapshot_tables_job-1.tar.bak', false],
    ['acme/job-1/snapshot_tables_part1_job-1.tar.bak', false],
    ['acme/job-1/old/snapshot_tables_job-1.tar', false],
    ['acme/job-1/snapshot_tables_part0_job-1.tar', false],
    ['acme/job-1/snapshot_tables_part01_job-1.tar', false],
    ['acme/job-1/snapshot_tables_partX_job-1.tar', false],
    ['acme/job-1/snapshot_tables_part1_job-2.tar', false],
    ['acme/job-1/snapshot_tables_job-2.tar', false],
    ['acme/job-1/snapshot_other_job-1.tar', false],
    ['acme/job-1/manifest_job-1.json.tmp', false],
    ['acme/job-10/snapshot_tables_job-1.tar', false],
    ['globex/job-1/snapshot_tables_job-1.tar', false],
    ['acme/snapshot_tables_job-1.tar', false],
  ];
  it.each(cases)('%s → %s', (key, expected) => {
    expect(isJobObjectKey(key, 'acme', 'job-1')).toBe(expected);
  });

  it('a job ID that itself looks like a part segment: the plain and numbered keys of that job only', () => {
    expect(isJobObjectKey(archiveKey('acme', 'part1_x', 'tables'), 'acme', 'part1_x')).toBe(true);
    expect(isJobObjectKey(archiveKey('acme', 'part1_x', 'tables', 2), 'acme', 'part1_x')).toBe(true);
    expect(isJobObjectKey('acme/part1_x/snapshot_tables_part1_x.tar', 'acme', 'x')).toBe(false);
  });
});

describe('spools of dead processes', () => {
  const parent = mkdtempSync(join(tmpdir(), 'ion-dest-spool-unit-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('a spool records its owner: this process, with its start time where /proc tells it', async () => {
    const spool = await createSpool(parent);
    const token = processStartToken(process.pid);
    expect(spool.directory.split('/').pop()).toMatch(new RegExp(`^ion-dest-spool-${process.pid}-${(token ?? 'unknown').replace('.', '\\.')}-[A-Za-z0-9]{6}$`));
    await spool.remove();
  });

  it('an owner is gone when no process has its PID, or the PID now belongs to a process started at another time', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => child.on('exit', r));
    const self = processStartToken(process.pid) as string;
    const cases: [string, number, string, boolean][] = [
      ['a finished process', child.pid as number, self, true],
      ['this process, same start', process.pid, self, false],
      ['this process, start unknown', process.pid, 'unknown', false],
      ['this PID, another start (reused)', process.pid, '00000000.1', self !== undefined],
    ];
    for (const [what, pid, token, gone] of cases) expect(ownerIsGone(pid, token), what).toBe(gone);
  });

  it('removes only this user\'s spool folders of gone owners; never a live one, a symlink or another name', async () => {
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((r) => gone.on('exit', r));
    const names = {
      dead: `ion-dest-spool-${gone.pid}-unknown-aaaaaa`,
      live: `ion-dest-spool-${process.pid}-unknown-bbbbbb`,
      legacy: 'ion-dest-spool-cccccc',
      other: `ion-dest-spool-${gone.pid}-unknown-dddddd.keep`,
    };
    for (const n of Object.values(names)) mkdirSync(join(parent, n));
    const target = mkdtempSync(join(tmpdir(), 'ion-dest-symlink-target-'));
    symlinkSync(target, join(parent, `ion-dest-spool-${gone.pid}-unknown-eeeeee`));
    expect(await removeDeadSpools(parent, { dryRun: true })).toEqual([join(parent, names.dead)]);
    expect(readdirSync(parent)).toContain(names.dead);
    expect(await removeDeadSpools(parent)).toEqual([join(parent, names.dead)]);
    expect(readdirSync(parent).sort()).toEqual([names.legacy, names.live, names.other, `ion-dest-spool-${gone.pid}-unknown-eeeeee`].sort());
    rmSync(target, { recursive: true, force: true });
  });
});
