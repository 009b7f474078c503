/**
 * What the demo must undo whatever happens (stop the emulator, remove temporary
 * files), run once, newest first: at the end, on failure, or on Ctrl-C.
 */
export class CleanupStack {
  private readonly tasks: { todo: string; done: string; undo: () => Promise<void> }[] = [];
  private running: Promise<string[]> | undefined;

  /** Register an undo step, with what it is to do and what it did, for the report. */
  add(todo: string, done: string, undo: () => Promise<void>): void {
    this.tasks.push({ todo, done, undo });
  }

  /**
   * Run every registered undo step once, newest first; every step runs even when one
   * fails. Resolves with a line per step: what it did, or what it failed to do and why.
   */
  run(): Promise<string[]> {
    this.running ??= (async () => {
      const lines: string[] = [];
      for (const task of [...this.tasks].reverse()) {
        try {
          await task.undo();
          lines.push(task.done);
        } catch (error) {
          lines.push(`FAILED to ${task.todo}: ${(error as Error).message}`);
        }
      }
      return lines;
    })();
    return this.running;
  }
}
