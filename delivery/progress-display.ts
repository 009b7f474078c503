import cliProgress from 'cli-progress';
import type { DeliveryProgressEvent, ProgressListener } from './orchestration/progress.js';
import { formatBytes } from './orchestration/parse-size.js';

export interface ProgressDisplay {
  listener: ProgressListener;
  /** Stop drawing (call before printing anything else). */
  stop(): void;
}

/**
 * How `deliver` shows progress: JSON lines on stderr with `--json`; bars on a terminal
 * (bytes, rate and ETA per archive); otherwise one line per finished archive.
 */
export function createProgressDisplay(options: { json: boolean; tty: boolean; write?: (line: string) => void }): ProgressDisplay {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  if (options.json) {
    return { listener: (event) => write(`${JSON.stringify({ event: event.type, time: new Date().toISOString(), ...omitType(event) })}\n`), stop() {} };
  }
  if (!options.tty) {
    return {
      listener: (event) => {
        if (event.type === 'archive-done') write(`uploaded ${event.key} (${formatBytes(event.size)}, ${event.seconds.toFixed(1)} s)\n`);
        if (event.type === 'warning') write(`warning: ${event.message}\n`);
      },
      stop() {},
    };
  }
  return barsDisplay();
}

function omitType(event: DeliveryProgressEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event;
  return rest;
}

function barsDisplay(): ProgressDisplay {
  const bars = new cliProgress.MultiBar(
    {
      format: ' {name} |{bar}| {percentage}% | {done} / {total_h} | {rate} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 20,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const active = new Map<string, { bar: cliProgress.SingleBar; started: number }>();
  const payload = (uploaded: number, size: number, started: number) => {
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    return { done: formatBytes(uploaded), total_h: formatBytes(size), rate: `${formatBytes(uploaded / seconds)}/s` };
  };
  return {
    listener: (event) => {
      switch (event.type) {
        case 'archive-start': {
          const name = event.key.split('/').pop() ?? event.key;
          const started = Date.now();
          active.set(event.key, { bar: bars.create(event.size, 0, { name, ...payload(0, event.size, started) }), started });
          break;
        }
        case 'archive-progress': {
          const a = active.get(event.key);
          a?.bar.update(event.uploaded, payload(event.uploaded, event.size, a.started));
          break;
        }
        case 'archive-done': {
          const a = active.get(event.key);
          a?.bar.update(event.size, payload(event.size, event.size, a.started));
          a?.bar.stop();
          active.delete(event.key);
          break;
        }
        case 'warning':
          bars.log(`warning: ${event.message}\n`);
          break;
        default:
          break;
      }
    },
    stop: () => bars.stop(),
  };
}
