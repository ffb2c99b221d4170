/**
 * Where a load script's comments are, for every reader of scripts (the statement splitter, the
 * connection-reference scanner): `// …`, `/* … *\/` and `REM …;` at a statement's start are comments;
 * quoted texts (`'…'`, `"…"`, `` `…` ``) and bracketed names (`[…]`) are kept whole, so a `//` or `;`
 * inside `[lib://x]` or INLINE data is data. Sources (help.qlik.com): "Using quotation marks in the script"
 * (field names in double quotes, square brackets or grave accents; string literals in single quotes) and
 * "Comments in the script" (`//`, `/* *\/`, and the REM statement).
 */

export interface ScriptVisitor {
  /** A quoted text or bracketed name, quotes included (to the end of the script when unclosed). */
  quoted(text: string): void;
  /** A comment, markers included. */
  comment(text: string): void;
  /** Any other character. */
  char(ch: string): void;
}

/** Walks `script` from start to end, handing each piece to `visit`; the pieces concatenate to the script. */
export function scanScript(script: string, visit: ScriptVisitor): void {
  let i = 0;
  let atStatementStart = true;
  while (i < script.length) {
    const ch = script[i]!;
    if (ch === "'" || ch === '"' || ch === '[' || ch === '`') {
      const close = ch === '[' ? ']' : ch;
      const end = script.indexOf(close, i + 1);
      const stop = end === -1 ? script.length : end + 1;
      visit.quoted(script.slice(i, stop));
      i = stop;
      atStatementStart = false;
      continue;
    }
    const stop = commentEnd(script, i, atStatementStart);
    if (stop !== undefined) {
      visit.comment(script.slice(i, stop));
      i = stop;
      continue;
    }
    visit.char(ch);
    if (ch === ';') atStatementStart = true;
    else if (!/\s/.test(ch)) atStatementStart = false;
    i += 1;
  }
}

/** Where the comment starting at `i` ends, or undefined when none starts there. */
function commentEnd(script: string, i: number, atStatementStart: boolean): number | undefined {
  const until = (marker: string, from: number, include: number): number => {
    const end = script.indexOf(marker, from);
    return end === -1 ? script.length : end + include;
  };
  if (script[i] === '/' && script[i + 1] === '/') return until('\n', i, 0);
  if (script[i] === '/' && script[i + 1] === '*') return until('*/', i + 2, 2);
  if (atStatementStart && /^rem(\s|;)/i.test(script.slice(i, i + 4))) return until(';', i, 1);
  return undefined;
}
