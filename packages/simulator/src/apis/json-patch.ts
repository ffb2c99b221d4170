import { badRequest } from '../http/errors.js';
import type { PatchOp } from './util.js';

type Doc = Record<string, unknown>;

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`Invalid JSON pointer "${pointer}".`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(
  doc: Doc,
  parts: string[],
  create: boolean,
): { parent: Record<string, unknown> | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    const next = (cur as Record<string, unknown>)[part];
    if (next === undefined && create) (cur as Record<string, unknown>)[part] = {};
    cur = (cur as Record<string, unknown>)[part];
    if (typeof cur !== 'object' || cur === null) throw badRequest(`Path not found: /${parts.join('/')}.`);
  }
  return { parent: cur as Record<string, unknown>, key: parts[parts.length - 1] ?? '' };
}

function getAt(doc: Doc, pointer: string): unknown {
  let cur: unknown = doc;
  for (const part of parsePointer(pointer)) cur = (cur as Record<string, unknown> | undefined)?.[part];
  return cur;
}

function setAt(doc: Doc, pointer: string, value: unknown, op: 'add' | 'replace'): void {
  const parts = parsePointer(pointer);
  if (parts.length === 0) throw badRequest('Cannot replace the whole document.');
  const { parent, key } = parentOf(doc, parts, op === 'add');
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw badRequest(`Invalid array index in ${pointer}.`);
    if (op === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else {
    if (op === 'replace' && !(key in parent)) throw badRequest(`Path not found: ${pointer}.`);
    parent[key] = value;
  }
}

function removeAt(doc: Doc, pointer: string): unknown {
  const parts = parsePointer(pointer);
  const { parent, key } = parentOf(doc, parts, false);
  if (Array.isArray(parent)) return parent.splice(Number(key), 1)[0];
  if (!(key in parent)) throw badRequest(`Path not found: ${pointer}.`);
  const old = parent[key];
  delete parent[key];
  return old;
}

/** Applies RFC 6902 operations to a copy of `doc`; the original is untouched when any op fails. */
export function applyJsonPatch<T extends Doc>(doc: T, ops: PatchOp[]): T {
  const copy = structuredClone(doc) as Doc;
  for (const op of ops) {
    const from = (op as PatchOp & { from?: unknown }).from;
    switch (op.op) {
      case 'add':
      case 'replace':
        setAt(copy, op.path, op.value, op.op);
        break;
      case 'remove':
        removeAt(copy, op.path);
        break;
      case 'test':
        if (JSON.stringify(getAt(copy, op.path)) !== JSON.stringify(op.value))
          throw badRequest(`Test failed at ${op.path}.`);
        break;
      case 'move':
      case 'copy': {
        if (typeof from !== 'string') throw badRequest(`"${op.op}" needs "from".`);
        const value = op.op === 'move' ? removeAt(copy, from) : structuredClone(getAt(copy, from));
        setAt(copy, op.path, value, 'add');
        break;
      }
      default:
        throw badRequest(`Unknown patch op "${op.op}".`);
    }
  }
  return copy as T;
}
