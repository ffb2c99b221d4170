// Applies RFC 6902 JSON Patch documents with fast-json-patch, answering a patch that fails as Qlik's 400.
import jsonPatch from 'fast-json-patch';
import { badRequest } from '../http/errors.js';
import type { PatchOp } from './util.js';

type Doc = Record<string, unknown>;

/** RFC 6901 §4: `array-index = %x30 / ( %x31-39 *%x30-39 )`: "0", or digits without a leading zero. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Why `pointer` cannot address `doc` as an array index, or undefined. fast-json-patch reads `01` as 1 (so
 * `add /roles/01` and `test /roles/00` succeed); RFC 6901 §4 allows no leading zeros, and RFC 6902 §4.1
 * allows `-` (past the last element) only where a value is added (`add`, and the target of `move` and
 * `copy`). Pointers are walked through the document as it stands before the operation.
 */
function arrayIndexProblem(doc: unknown, pointer: string, dashAllowed: boolean): string | undefined {
  if (pointer === '') return undefined;
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc;
  for (const [i, token] of tokens.entries()) {
    const last = i === tokens.length - 1;
    if (Array.isArray(node)) {
      if (token === '-') {
        if (last && dashAllowed) return undefined;
        return `"-" is not an element of the array at ${JSON.stringify(pointer)} (RFC 6902 §4: only add may use it)`;
      }
      if (!ARRAY_INDEX.test(token))
        return `${JSON.stringify(token)} is not an array index in ${JSON.stringify(pointer)} (RFC 6901 §4: digits without a leading zero)`;
      node = node[Number(token)];
    } else if (node !== null && typeof node === 'object') {
      node = Object.hasOwn(node, token) ? (node as Record<string, unknown>)[token] : undefined;
    } else return undefined; // the library reports the missing path
  }
  return undefined;
}

/**
 * Applies `ops` to a copy of `doc`; the original is untouched when any operation fails. Every operation
 * is validated against the document as it goes (RFC 6902 §4, §5): a path that does not exist, an array
 * index that is not a number or lies past the end, or a failed `test` (deep equality, any key order)
 * rejects the whole patch, as does an array index with a leading zero (RFC 6901 §4) or `-` outside an
 * add (RFC 6902 §4.1).
 */
export function applyJsonPatch<T extends Doc>(doc: T, ops: PatchOp[]): T {
  let copy = structuredClone(doc);
  ops.forEach((op, index) => {
    const problem =
      arrayIndexProblem(copy, op.path, op.op === 'add' || op.op === 'move' || op.op === 'copy') ??
      (op.from === undefined ? undefined : arrayIndexProblem(copy, op.from, false));
    if (problem) throw badRequest(`Patch operation ${index} (${op.op} ${op.path}) failed: ${problem}`);
    try {
      // validateOperation, mutateDocument (the copy), banPrototypeModifications.
      copy = jsonPatch.applyOperation(copy, op as jsonPatch.Operation, true, true, true, index).newDocument;
    } catch (error) {
      // The library's message goes on with the document itself: keep its first line only.
      const reason = error instanceof Error ? error.message.split('\n')[0] : '';
      // It refuses __proto__ / constructor.prototype paths with a TypeError.
      if (error instanceof jsonPatch.JsonPatchError || (error instanceof TypeError && /__proto__/.test(reason ?? '')))
        throw badRequest(`Patch operation ${index} (${op.op} ${op.path}) failed: ${reason}`);
      throw error;
    }
  });
  return copy;
}
