// "linting 120/800 files" on stderr while a long run works: only on a terminal, never in
// CI logs, and only once the run has lasted long enough to be worth a line.

const SHOW_AFTER_MS = 400;
const REDRAW_EVERY_MS = 100;

export interface Progress {
  tick(): void;
  done(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function progressEnabled(wanted: boolean, stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
  return wanted && stream.isTTY === true && !env.CI && env.TERM !== "dumb";
}

export function createProgress(total: number, stream: ProgressStream, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || total === 0) return { tick() {}, done() {} };
  const started = now();
  let finished = 0;
  let lastDraw = 0;
  let drawn = false;
  return {
    tick() {
      finished++;
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - lastDraw < REDRAW_EVERY_MS) return;
      lastDraw = t;
      drawn = true;
      stream.write(`\r\u001b[2Klinting ${finished}/${total} files`);
    },
    done() {
      if (drawn) stream.write("\r\u001b[2K");
    },
  };
}
