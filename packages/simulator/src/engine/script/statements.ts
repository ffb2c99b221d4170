/**
 * Splits a load script into statements: comments (`//`, `/* *\/`, `REM ...;`) removed, quoted
 * texts and bracketed names kept whole (a `;` or `//` inside `[lib://x]` or INLINE data is data),
 * each statement with the line it starts on.
 */

export interface RawStatement {
  /** The statement without its terminating `;`, comments blanked. */
  readonly text: string;
  /** 1-based line of its first character. */
  readonly line: number;
}

export function splitStatements(script: string): RawStatement[] {
  const statements: RawStatement[] = [];
  let current = '';
  let startLine = 0;
  let line = 1;
  let i = 0;
  const push = (): void => {
    if (current.trim() !== '') statements.push({ text: current.trim(), line: startLine });
    current = '';
    startLine = 0;
  };
  const take = (text: string): void => {
    if (startLine === 0 && text.trim() !== '') startLine = line;
    current += text;
    for (const ch of text) if (ch === '\n') line += 1;
  };
  const blank = (text: string): void => {
    current += text.replace(/[^\n]/g, ' ');
    for (const ch of text) if (ch === '\n') line += 1;
  };
  while (i < script.length) {
    const ch = script[i]!;
    if (ch === "'" || ch === '"' || ch === '[' || ch === '`') {
      const close = ch === '[' ? ']' : ch;
      const end = script.indexOf(close, i + 1);
      const stop = end === -1 ? script.length : end + 1;
      take(script.slice(i, stop));
      i = stop;
      continue;
    }
    if (ch === '/' && script[i + 1] === '/') {
      const end = script.indexOf('\n', i);
      const stop = end === -1 ? script.length : end;
      blank(script.slice(i, stop));
      i = stop;
      continue;
    }
    if (ch === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      const stop = end === -1 ? script.length : end + 2;
      blank(script.slice(i, stop));
      i = stop;
      continue;
    }
    if (current.trim() === '' && /^rem(\s|;)/i.test(script.slice(i, i + 4))) {
      const end = script.indexOf(';', i);
      const stop = end === -1 ? script.length : end + 1;
      blank(script.slice(i, stop));
      current = '';
      i = stop;
      continue;
    }
    if (ch === ';') {
      push();
      i += 1;
      continue;
    }
    take(ch);
    i += 1;
  }
  push();
  return statements;
}
