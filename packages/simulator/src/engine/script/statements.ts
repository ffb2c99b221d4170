/**
 * Splits a load script into statements: comments (`//`, `/* *\/`, `REM ...;`) removed, quoted
 * texts and bracketed names kept whole (a `;` or `//` inside `[lib://x]` or INLINE data is data),
 * each statement with the line it starts on. What is a comment is `scanScript`'s to say.
 */
import { scanScript } from './lexical.js';

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
  scanScript(script, {
    quoted: take,
    comment: blank,
    char: (ch) => (ch === ';' ? push() : take(ch)),
  });
  push();
  return statements;
}
