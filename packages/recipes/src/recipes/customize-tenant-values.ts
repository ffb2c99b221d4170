// What customizeTenant's inputs are made of, without their schemas: partner files and the CSP directives.
import { sha256Hex } from '@qlik-oem/core/advanced';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A partner file (logo, zip, ...) read once at validation time. Its JSON form is `{ file, size, sha256 }`,
 * so the journal's input hash changes when the content changes, and the bytes never reach a log.
 */
export class CustomizationFile {
  readonly sha256: string;
  constructor(
    /** The file name sent in uploads (the path's base name, or `name` given with bytes). */
    readonly name: string,
    readonly bytes: Uint8Array,
  ) {
    this.sha256 = sha256Hex(bytes);
  }
  get size(): number {
    return this.bytes.byteLength;
  }
  toJSON(): { file: string; size: number; sha256: string } {
    return { file: this.name, size: this.size, sha256: this.sha256 };
  }
  [INSPECT](): string {
    return `CustomizationFile ${JSON.stringify(this.toJSON())}`;
  }
}

/** The CSP directives of Qlik's csp-origins API. */
export const CSP_DIRECTIVES = [
  'childSrc',
  'connectSrc',
  'connectSrcWSS',
  'fontSrc',
  'formAction',
  'frameAncestors',
  'frameSrc',
  'imgSrc',
  'mediaSrc',
  'objectSrc',
  'scriptSrc',
  'styleSrc',
  'workerSrc',
] as const;
export type CspDirective = (typeof CSP_DIRECTIVES)[number];
