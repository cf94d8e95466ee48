import dns from 'node:dns';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkOutboundUrl, forbiddenAddress, parseOutboundAllow, pinnedLookup } from './outbound-url.ts';
import { isStepError } from './step-error.ts';

/** Stands in for DNS: these names resolve to these addresses, every other name to nothing. */
function fakeDns(names: Record<string, string[]>) {
  return vi.spyOn(dns.promises, 'lookup').mockImplementation((async (host: string) => {
    const found = names[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as unknown as typeof dns.promises.lookup);
}

afterEach(() => {
  vi.restoreAllMocks();
});

async function refusal(url: string, allow: string[] = []) {
  try {
    await checkOutboundUrl(url, { allow, what: 'the webhook URL' });
  } catch (error) {
    if (!isStepError(error)) throw error;
    return { code: error.code, kind: error.kind, retryable: error.retryable, message: error.message };
  }
  return null;
}

describe('forbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.100.100.200', 'shared (carrier-grade NAT)'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['64:ff9b::10.0.0.1', 'NAT64 private'],
    ['2002:a9fe:a9fe::1', '6to4 link-local'],
  ])('%s is %s', (address, kind) => {
    expect(forbiddenAddress(address)).toBe(kind);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2002:0808:0808::1',
  ])('%s is fine', (address) => {
    expect(forbiddenAddress(address)).toBeNull();
  });
});

describe('checkOutboundUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is an IPv4-mapped loopback address'],
    ['http://[::1]:3000/', '::1 is a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://0/', '0.0.0.0 is an unspecified address'],
  ])('refuses %s without asking DNS', async (url, says) => {
    const lookup = fakeDns({});
    const r = await refusal(url);
    expect(r).toMatchObject({ code: 'forbidden_url', kind: 'user', retryable: false });
    expect(r?.message).toContain(`the webhook URL is refused: ${says}`);
    expect(r?.message).toContain('TEND_OUTBOUND_ALLOW');
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses a name when any address it resolves to is forbidden', async () => {
    fakeDns({ 'hooks.example.test': ['93.184.216.34', '10.0.0.7'], localhost: ['127.0.0.1', '::1'] });
    expect((await refusal('https://hooks.example.test/x'))?.message).toContain(
      'hooks.example.test resolves to 10.0.0.7, a private address',
    );
    expect((await refusal('http://localhost:9000/'))?.message).toContain('localhost resolves to 127.0.0.1');
  });

  it('lets public addresses through and says where to connect', async () => {
    fakeDns({ 'hooks.example.test': ['93.184.216.34', '2606:4700::1111'] });
    const target = await checkOutboundUrl('https://hooks.example.test/x?y=1');
    expect(target.url.href).toBe('https://hooks.example.test/x?y=1');
    expect(target.addresses).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::1111', family: 6 },
    ]);
  });

  it('takes what the allowlist lists: host names, addresses and networks', async () => {
    fakeDns({ 'hooks.internal': ['10.20.0.5'], 'other.internal': ['10.30.0.5'] });
    expect(await refusal('http://hooks.internal/', ['hooks.internal'])).toBeNull();
    expect(await refusal('http://other.internal/', ['10.30.0.0/16'])).toBeNull();
    expect(await refusal('http://127.0.0.1:9/', ['127.0.0.0/8'])).toBeNull();
    expect(await refusal('http://[::1]:9/', ['::1'])).toBeNull();
    expect(await refusal('http://other.internal/', ['hooks.internal', '10.20.0.0/16'])).not.toBeNull();
  });

  it('refuses other schemes and non-URLs; retries names that do not resolve', async () => {
    fakeDns({});
    expect(await refusal('file:///etc/passwd')).toMatchObject({ code: 'forbidden_url', retryable: false });
    expect(await refusal('gopher://example.test/')).toMatchObject({ code: 'forbidden_url' });
    expect(await refusal('not a url')).toMatchObject({ code: 'bad_url', retryable: false });
    expect(await refusal('https://nowhere.test/')).toMatchObject({
      code: 'provider_unreachable',
      kind: 'engine',
      retryable: true,
      message: 'the webhook URL: cannot resolve nowhere.test (ENOTFOUND)',
    });
  });
});

describe('parseOutboundAllow', () => {
  it('reads host names, addresses and CIDR networks', () => {
    const allow = parseOutboundAllow([
      ' Hooks.Internal ',
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
      '[::1]',
      '',
    ]);
    expect([...allow.hosts]).toEqual(['hooks.internal']);
    expect(allow.networks.check('10.9.9.9', 'ipv4')).toBe(true);
    expect(allow.networks.check('fd12::1', 'ipv6')).toBe(true);
    expect(allow.networks.check('::1', 'ipv6')).toBe(true);
  });

  it('names an entry it cannot read', () => {
    expect(() => parseOutboundAllow(['10.0.0.0/33'])).toThrow(
      '"10.0.0.0/33" is not a network in CIDR notation',
    );
    expect(() => parseOutboundAllow(['*.example.com'])).toThrow('"*.example.com" is neither a host name');
  });
});

describe('pinnedLookup', () => {
  it('makes the connection go to the checked address whatever the name resolves to now', async () => {
    const server = createServer((_req, res) => res.end('pinned'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // A name that (we pretend) resolved to 127.0.0.1 when checked; the real DNS does not know it.
      const target = {
        url: new URL(`http://checked.test:${port}/`),
        addresses: [{ address: '127.0.0.1', family: 4 as const }],
      };
      const lookup = pinnedLookup(target);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(target.url, { lookup, agent: false }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('pinned');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(pinnedLookup({ url: new URL('http://x.test/'), addresses: null })).toBeUndefined();
  });
});
