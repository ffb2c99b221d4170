// Runs a TypeScript test child in a real Node process (node with tsx as a loader, not the tsx CLI, whose
// grandchild would survive a SIGKILL), collecting its output and letting the test stop it as its stdout arrives.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's root: children run there, so that tsx resolves the workspace packages. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface TsxChildOptions {
  /** The child's script. */
  script: string;
  /** Its arguments. */
  args?: readonly string[];
  /** The tsconfig tsx compiles it with. */
  tsconfig: string;
  /** Node options before `--import tsx` (e.g. `--expose-gc`). */
  nodeArgs?: readonly string[];
  /** A command the child runs inside (e.g. `unshare --pid --fork`). */
  wrapper?: readonly string[];
  /** Called with all stdout so far, each time more arrives: the place to signal the child. */
  onStdout?: (stdout: string, child: ChildProcess) => void;
  /** Called with each chunk of stdout as it arrives. */
  onChunk?: (chunk: Buffer) => void;
  /** Called once the child started. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface TsxChildExit {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Starts the child and resolves once it exits (by a signal or with any code). */
export function runTsxChild(options: TsxChildOptions): Promise<TsxChildExit> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = [
      ...(options.wrapper ?? []),
      process.execPath,
      ...(options.nodeArgs ?? []),
      '--import',
      'tsx',
      options.script,
      ...(options.args ?? []),
    ];
    const child = spawn(command!, args, {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: options.tsconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onChunk?.(chunk);
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

/** `runTsxChild` where a child that exits on its own must exit 0 (a signal is the test's doing). */
export async function runTsxChildToEnd(options: TsxChildOptions): Promise<TsxChildExit> {
  const exit = await runTsxChild(options);
  if (exit.signal === null && exit.code !== 0) throw new Error(`child exited with ${exit.code}: ${exit.stderr}`);
  return exit;
}

/** How many lines of the child's stdout are exactly `line`. */
export const linesEqual = (stdout: string, line: string): number => stdout.split('\n').filter((l) => l === line).length;

/** The child's first JSON line on stdout (its summary), if it printed one. */
export function firstJsonLine<T>(stdout: string): T | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  return line === undefined ? undefined : (JSON.parse(line) as T);
}
