import { describe, expect, it } from 'vitest';
import { QVF_MAGIC, QvfFormatError, decodeQvf, encodeQvf, type QvfContent } from '../../src/content/qvf.js';

const content: QvfContent = {
  name: 'Sales',
  description: 'Template',
  script: "LIB CONNECT TO 'DB';\nLOAD 1 AS x AUTOGENERATE 1;",
  properties: { qTitle: 'Sales', custom: { a: 1 } },
  objects: [
    {
      id: 's1',
      type: 'sheet',
      properties: { qInfo: { qId: 's1', qType: 'sheet' }, qMetaDef: { title: 'Overview' } },
      kind: 'base',
    },
    {
      ...{
        id: 'u1',
        type: 'sheet',
        properties: { qInfo: { qId: 'u1', qType: 'sheet' }, qMetaDef: { title: 'Mine' } },
        kind: 'user',
      },
      ownerId: 'user-1',
    },
    {
      id: 'c1',
      type: 'barchart',
      properties: { qInfo: { qId: 'c1', qType: 'barchart' } },
      parentId: 'u1',
      kind: 'user',
    },
  ],
  hasData: true,
};

describe('QVF format', () => {
  it('round-trips', () => {
    const bytes = encodeQvf(content);
    expect(new TextDecoder().decode(bytes.subarray(0, QVF_MAGIC.length))).toBe(QVF_MAGIC);
    expect(decodeQvf(bytes)).toEqual(content);
  });

  it('rejects bytes without the header', () => {
    expect(() => decodeQvf(new TextEncoder().encode('PK\u0003\u0004 zip'))).toThrow(QvfFormatError);
    expect(() => decodeQvf(new Uint8Array())).toThrow(/bad header/);
  });

  it('rejects a header followed by garbage or incomplete JSON', () => {
    expect(() => decodeQvf(new TextEncoder().encode(`${QVF_MAGIC}{not json`))).toThrow(/corrupt/);
    expect(() => decodeQvf(new TextEncoder().encode(`${QVF_MAGIC}{"name":"x"}`))).toThrow(/missing name or script/);
    expect(() => decodeQvf(new TextEncoder().encode(`${QVF_MAGIC}{"name":"x","script":"","objects":[{}]}`))).toThrow(
      /object 0/,
    );
  });
});
