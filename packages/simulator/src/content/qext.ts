// Reads the `.qext` manifest of an extension or theme archive: Qlik names the bundle after it.
import { unzipSync } from 'fflate';
import { ContentError } from './errors.js';

/** The manifest: `qextFilename` is the `.qext` file's name without the extension, the rest its JSON. */
export interface QextManifest {
  qextFilename: string;
  fields: Record<string, unknown>;
}

const unprocessable = (detail: string): ContentError =>
  new ContentError(422, 'HTTP-422', 'Unprocessable entity', detail);

/**
 * The shallowest `.qext` entry of the zip (at the root, or in the archive's one folder), parsed.
 * help.qlik.com (mc-extensions): the archive must hold a .qext; the name shown is the one inside it, the
 * unique "QEXT filename" is that file's name. Registry: content-bundle-named-by-qext.
 */
export function readQext(zip: Uint8Array): QextManifest {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, { filter: (f) => /\.qext$/i.test(f.name) });
  } catch {
    throw unprocessable('the file is not a readable zip archive');
  }
  const [path] = Object.keys(entries)
    .filter((p) => !p.endsWith('/'))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  if (path === undefined) throw unprocessable('the archive holds no .qext manifest');
  let fields: unknown;
  try {
    fields = JSON.parse(new TextDecoder().decode(entries[path]));
  } catch {
    throw unprocessable(`${path} is not JSON`);
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw unprocessable(`${path} is not a JSON object`);
  const qextFilename = (path.split('/').pop() ?? path).replace(/\.qext$/i, '');
  return { qextFilename, fields: fields as Record<string, unknown> };
}
