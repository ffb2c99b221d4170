import { isQlikValidationError } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import { parseQlikHost, regionFromHost, registrationHost } from '../src/index.js';

function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isQlikValidationError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('parseQlikHost', () => {
  it('accepts a bare hostname or an https URL and normalises both', () => {
    expect(parseQlikHost('Acme.EU.qlikcloud.com')).toEqual({
      hostname: 'acme.eu.qlikcloud.com',
      origin: 'https://acme.eu.qlikcloud.com',
    });
    expect(parseQlikHost('https://acme.eu.qlikcloud.com/')).toEqual({
      hostname: 'acme.eu.qlikcloud.com',
      origin: 'https://acme.eu.qlikcloud.com',
    });
    expect(parseQlikHost('http://127.0.0.1:4000').origin).toBe('http://127.0.0.1:4000');
  });

  it.each([
    ['', 'expected a hostname'],
    ['http://acme.eu.qlikcloud.com', 'https is required'],
    ['https://acme.eu.qlikcloud.com/api/v1', 'no path'],
    ['acme.eu.qlikcloud.com/api', 'no path'],
    ['https://acme.eu.qlikcloud.com?x=1', 'no path, query'],
    ['ftp://acme.eu.qlikcloud.com', 'unsupported scheme'],
    ['acme_eu.qlikcloud.com', 'not a valid hostname'],
  ])('refuses %j', (host, reason) => {
    expect(validationMessage(() => parseQlikHost(host))).toContain(reason);
  });

  it('never repeats credentials embedded in a URL', () => {
    const message = validationMessage(() => parseQlikHost('https://user:hunter2@acme.eu.qlikcloud.com'));
    expect(message).not.toContain('hunter2');
  });
});

describe('regionFromHost / registrationHost', () => {
  it('reads the region label of tenant and registration hosts', () => {
    expect(regionFromHost('acme.eu.qlikcloud.com')).toBe('eu');
    expect(regionFromHost('https://register.us.qlikcloud.com')).toBe('us');
    expect(regionFromHost('x.ap.qlikcloud.com')).toBe('ap');
  });

  it('refuses hosts that are not <tenant>.<region>.qlikcloud.com', () => {
    expect(validationMessage(() => regionFromHost('example.com'))).toContain('not a Qlik Cloud host');
    expect(validationMessage(() => regionFromHost('qlikcloud.com.evil.io'))).toContain('not a Qlik Cloud host');
    expect(validationMessage(() => regionFromHost('a.b.eu.qlikcloud.com'))).toContain('<tenant>.<region>');
  });

  it('builds the registration host and round-trips with regionFromHost', () => {
    expect(registrationHost('eu')).toBe('register.eu.qlikcloud.com');
    expect(regionFromHost(registrationHost('jp'))).toBe('jp');
    expect(validationMessage(() => registrationHost('EU!'))).toContain('Invalid Qlik Cloud region');
  });
});
