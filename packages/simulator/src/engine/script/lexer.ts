/**
 * Tokens of one load-script statement. The parser pulls them on demand, so parts that are raw text
 * (INLINE data, SQL, SET values, TRACE) can be read from the same position without tokenizing them.
 */
import { StatementError } from './errors.js';

export type TokenKind = 'word' | 'number' | 'string' | 'name' | 'op' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The value: a word as written, a number's text, a string or quoted name without its quotes. */
  readonly value: string;
  /** Offset of the token in the statement text. */
  readonly start: number;
  readonly end: number;
}

const WORD_START = /[A-Za-z_\u00C0-\uFFFF%@$]/;
const WORD_PART = /[A-Za-z0-9_.#\u00C0-\uFFFF%@$]/;
const TWO_CHAR_OPS = new Set(['<=', '>=', '<>']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '&', '=', '<', '>', '(', ')', ',', ':']);

export class Lexer {
  #pos = 0;
  #peeked: Token | undefined;

  constructor(readonly text: string) {}

  /** The offset the next token starts from. */
  get position(): number {
    return this.#peeked?.start ?? this.#skipSpace(this.#pos);
  }

  /** The offset just after the last token taken. */
  get consumed(): number {
    return this.#pos;
  }

  /** Continues after `offset` (e.g. past a statement label). */
  skipTo(offset: number): void {
    this.#peeked = undefined;
    this.#pos = offset;
  }

  peek(): Token {
    this.#peeked ??= this.#read();
    return this.#peeked;
  }

  next(): Token {
    const token = this.peek();
    this.#peeked = undefined;
    this.#pos = token.end;
    return token;
  }

  /** True (and consumed) when the next token is the keyword `word` (case-insensitive). */
  acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.next();
    return true;
  }

  isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.value.toLowerCase() === word.toLowerCase();
  }

  expectWord(word: string): void {
    if (!this.isWord(word)) throw unexpected(this.peek(), word);
    this.next();
  }

  acceptOp(op: string): boolean {
    const token = this.peek();
    if (token.kind !== 'op' || token.value !== op) return false;
    this.next();
    return true;
  }

  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw unexpected(this.peek(), op);
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') throw unexpected(this.peek());
  }

  /** The raw text from the next token to the end of the statement; consumes it. */
  rest(): string {
    const from = this.position;
    this.#peeked = undefined;
    this.#pos = this.text.length;
    return this.text.slice(from).trim();
  }

  #skipSpace(from: number): number {
    let i = from;
    while (i < this.text.length && /\s/.test(this.text[i]!)) i += 1;
    return i;
  }

  #read(): Token {
    const start = this.#skipSpace(this.#pos);
    const text = this.text;
    if (start >= text.length) return { kind: 'end', value: '', start, end: start };
    const ch = text[start]!;
    if (ch === "'" || ch === '"' || ch === '`') return this.#quoted(start, ch, ch === "'" ? 'string' : 'name');
    if (ch === '[') {
      const close = text.indexOf(']', start + 1);
      if (close === -1) throw new StatementError("Unclosed '['", 'SYNTAX_ERROR');
      return { kind: 'name', value: text.slice(start + 1, close), start, end: close + 1 };
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[start + 1] ?? ''))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(start))!;
      return { kind: 'number', value: match[0], start, end: start + match[0].length };
    }
    if (WORD_START.test(ch)) {
      let end = start + 1;
      while (end < text.length && WORD_PART.test(text[end]!)) end += 1;
      return { kind: 'word', value: text.slice(start, end), start, end };
    }
    const two = text.slice(start, start + 2);
    if (TWO_CHAR_OPS.has(two)) return { kind: 'op', value: two, start, end: start + 2 };
    if (ONE_CHAR_OPS.has(ch)) return { kind: 'op', value: ch, start, end: start + 1 };
    throw new StatementError(`Unexpected character '${ch}'`, 'SYNTAX_ERROR');
  }

  /** A quoted string or name; a doubled quote inside stands for one. */
  #quoted(start: number, quote: string, kind: 'string' | 'name'): Token {
    let value = '';
    let i = start + 1;
    for (;;) {
      const close = this.text.indexOf(quote, i);
      if (close === -1) throw new StatementError(`Unclosed ${quote}`, 'SYNTAX_ERROR');
      value += this.text.slice(i, close);
      if (this.text[close + 1] === quote) {
        value += quote;
        i = close + 2;
        continue;
      }
      return { kind, value, start, end: close + 1 };
    }
  }
}

export function unexpected(token: Token, expected?: string): StatementError {
  const found = token.kind === 'end' ? 'end of statement' : `'${token.value}'`;
  return new StatementError(`Unexpected token: ${found}${expected ? `, expected '${expected}'` : ''}`, 'SYNTAX_ERROR');
}
