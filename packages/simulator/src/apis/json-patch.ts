// Applies RFC 6902 JSON Patch documents with fast-json-patch, answering a patch that fails as Qlik's 400.
import jsonPatch from 'fast-json-patch';
import { badRequest } from '../http/errors.js';
import type { PatchOp } from './util.js';

type Doc = Record<string, unknown>;

/**
 * Applies `ops` to a copy of `doc`; the original is untouched when any operation fails. Every operation
 * is validated against the document as it goes (RFC 6902 §4, §5): a path that does not exist, an array
 * index that is not a number or lies past the end, or a failed `test` (deep equality, any key order)
 * rejects the whole patch.
 */
export function applyJsonPatch<T extends Doc>(doc: T, ops: PatchOp[]): T {
  let copy = structuredClone(doc);
  ops.forEach((op, index) => {
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
