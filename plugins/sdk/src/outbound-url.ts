import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { StepError } from './step-error.ts';

/**
 * Addresses a message must not be sent to unless the allowlist says so: a webhook URL can come
 * from event data (`url: "{{ event.data.callback }}"`), and without this check anyone who can send
 * an event could make Tend POST to its own machine, the office network or the cloud's metadata
 * service (169.254.169.254, Alibaba's 100.100.100.200).
 */
const FORBIDDEN_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const FORBIDDEN_V6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
  ['100::', 64, 'discard-only'],
];

const forbiddenV4 = FORBIDDEN_V4.map(([net, prefix, kind]) => ({ list: subnet(net, prefix, 'ipv4'), kind }));
const forbiddenV6 = FORBIDDEN_V6.map(([net, prefix, kind]) => ({ list: subnet(net, prefix, 'ipv6'), kind }));

function subnet(net: string, prefix: number, type: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return list;
}

/**
 * Why an IP address is not a place to send to ('loopback', 'private', …), or null. IPv6 forms
 * that carry an IPv4 address (IPv4-mapped `::ffff:127.0.0.1`, IPv4-compatible, NAT64 `64:ff9b::`,
 * 6to4 `2002::`) are judged by that IPv4 address.
 */
export function forbiddenAddress(address: string): string | null {
  const plain = address.replace(/%.*$/, '');
  const family = isIP(plain);
  if (family === 4) return forbiddenV4.find((f) => f.list.check(plain, 'ipv4'))?.kind ?? null;
  if (family !== 6) return 'not an IP address';
  const g = ipv6Groups(plain);
  const embedded = embeddedIpv4(g);
  if (embedded) {
    const kind = forbiddenAddress(embedded.address);
    return kind ? `${embedded.form} ${kind}` : null;
  }
  return forbiddenV6.find((f) => f.list.check(plain, 'ipv6'))?.kind ?? null;
}

function embeddedIpv4(g: number[]): { address: string; form: string } | null {
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return { address: v4(g[6] ?? 0, g[7] ?? 0), form: 'IPv4-mapped' };
  // ::a.b.c.d (deprecated); :: and ::1 themselves are the IPv6 unspecified and loopback addresses.
  if (zeros(0, 6) && (g[6] ?? 0) !== 0) return { address: v4(g[6] ?? 0, g[7] ?? 0), form: 'IPv4-compatible' };
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6))
    return { address: v4(g[6] ?? 0, g[7] ?? 0), form: 'NAT64' };
  if (g[0] === 0x2002) return { address: v4(g[1] ?? 0, g[2] ?? 0), form: '6to4' };
  return null;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail counts as two). */
function ipv6Groups(address: string): number[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}

/** TEND_OUTBOUND_ALLOW, read: host names allowed whatever they resolve to, and networks. */
export interface OutboundAllowlist {
  hosts: ReadonlySet<string>;
  networks: BlockList;
  /** As given, for messages. */
  entries: readonly string[];
}

/**
 * Reads allowlist entries: host names (`hooks.internal`, matched exactly, case-insensitively),
 * addresses (`127.0.0.1`, `::1`) and networks in CIDR notation (`10.20.0.0/16`, `fd00::/8`).
 * Throws an Error naming the first entry that is none of these.
 */
export function parseOutboundAllow(entries: readonly string[]): OutboundAllowlist {
  const hosts = new Set<string>();
  const networks = new BlockList();
  for (const raw of entries) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    if (entry === '') continue;
    const [net = '', prefix] = entry.split('/');
    const family = isIP(net);
    if (prefix !== undefined) {
      const bits = Number(prefix);
      const max = family === 4 ? 32 : 128;
      if (family === 0 || !/^\d{1,3}$/.test(prefix) || bits > max) {
        throw new Error(`"${raw}" is not a network in CIDR notation (like 10.0.0.0/8 or fd00::/8)`);
      }
      networks.addSubnet(net, bits, family === 4 ? 'ipv4' : 'ipv6');
    } else if (family !== 0) {
      networks.addAddress(net, family === 4 ? 'ipv4' : 'ipv6');
    } else if (
      /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,62}[a-z0-9_])?)*\.?$/.test(
        entry,
      )
    ) {
      hosts.add(entry.replace(/\.$/, ''));
    } else {
      throw new Error(`"${raw}" is neither a host name, an IP address nor a network (CIDR)`);
    }
  }
  return { hosts, networks, entries: entries.map((e) => e.trim()).filter(Boolean) };
}

const parsed = new WeakMap<readonly string[], OutboundAllowlist>();

/** The allowlist read once per settings array (plugins pass `settings.outboundAllow` each time). */
function allowlistOf(allow: readonly string[] | OutboundAllowlist): OutboundAllowlist {
  if (!Array.isArray(allow)) return allow as OutboundAllowlist;
  const entries = allow as readonly string[];
  let read = parsed.get(entries);
  if (!read) {
    read = parseOutboundAllow(entries);
    parsed.set(entries, read);
  }
  return read;
}

function allowedAddress(allow: OutboundAllowlist, address: string): boolean {
  const plain = address.replace(/%.*$/, '');
  return allow.networks.check(plain, isIP(plain) === 4 ? 'ipv4' : 'ipv6');
}

/** Where a checked URL may be connected to: its addresses, or null for an allowlisted host name. */
export interface OutboundTarget {
  url: URL;
  addresses: { address: string; family: 4 | 6 }[] | null;
}

export interface CheckOutboundOptions {
  /** The installation's allowlist (`settings.outboundAllow`), as entries or read. */
  allow?: readonly string[] | OutboundAllowlist;
  /** Names the URL in messages, e.g. 'the webhook URL'. */
  what?: string;
}

/**
 * Checks a URL a plugin is about to send to: http(s) only, and no address (written in any
 * notation WHATWG URL parsing understands — `2130706433`, `0177.0.0.1`, `[::ffff:127.0.0.1]` —
 * or any address its host name resolves to) that is loopback, private, link-local, unspecified,
 * multicast or reserved, unless the allowlist lists the host or a network holding the address.
 *
 * Refusals are StepErrors of kind `user`, not retried (sending again would be refused again); a
 * name that does not resolve is retried (DNS may be down). Connect to `addresses` (see
 * {@link pinnedLookup}): resolving again when connecting could give another answer (DNS rebinding).
 */
export async function checkOutboundUrl(
  raw: string,
  options: CheckOutboundOptions = {},
): Promise<OutboundTarget> {
  const what = options.what ?? 'the URL';
  const allow = allowlistOf(options.allow ?? []);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('bad_url', `${what} is not a URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refused('forbidden_url', `${what} must be http or https, not ${url.protocol.slice(0, -1)}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (allow.hosts.has(host.replace(/\.$/, ''))) return { url, addresses: null };
  const literal = isIP(host);
  const addresses = literal !== 0 ? [{ address: host, family: literal as 4 | 6 }] : await resolve(host, what);
  for (const { address } of addresses) {
    const kind = forbiddenAddress(address);
    if (kind && !allowedAddress(allow, address)) {
      const where = literal ? `${host} is` : `${host} resolves to ${address},`;
      throw refused(
        'forbidden_url',
        `${what} is refused: ${where} ${/^(?:[aeioIN]|un(?!i))/.test(kind) ? 'an' : 'a'} ${kind} address. Tend sends only to public addresses unless TEND_OUTBOUND_ALLOW lists the host or its network`,
      );
    }
  }
  return { url, addresses };
}

async function resolve(host: string, what: string): Promise<{ address: string; family: 4 | 6 }[]> {
  try {
    // dns.promises read at call time, so tests can stand in for the resolver.
    const found = await dns.promises.lookup(host, { all: true, verbatim: true });
    if (found.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new StepError('provider_unreachable', `${what}: cannot resolve ${host} (${code})`, {
      kind: 'engine',
      retryable: true,
      cause: error,
    });
  }
}

function refused(code: string, message: string): StepError {
  return new StepError(code, message, { kind: 'user', retryable: false });
}

/**
 * A `lookup` for `http.request` / `net.connect` that answers only the addresses a check found,
 * so the connection goes where the check looked; undefined (resolve as usual) for allowlisted
 * host names. IP literals need none: Node connects to them without a lookup.
 */
export function pinnedLookup(target: OutboundTarget): LookupFunction | undefined {
  const addresses = target.addresses;
  if (!addresses) return undefined;
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = addresses.filter((a) => wanted === 0 || a.family === wanted);
    const first = usable[0];
    if (!first) {
      const error = Object.assign(
        new Error(`no checked ${wanted ? `IPv${wanted} ` : ''}address for ${hostname}`),
        {
          code: 'ENOTFOUND',
        },
      );
      callback(error, '', 0);
      return;
    }
    if (options.all) (callback as unknown as (e: null, all: typeof usable) => void)(null, usable);
    else callback(null, first.address, first.family);
  };
}

/**
 * For a provider URL set in the environment: why sending there would be refused message after
 * message (it names this machine or the local network, outside the allowlist), so the engine
 * can say so at start instead; null when it may be used. Names other than localhost are judged
 * when sending, when they are resolved.
 */
export function localProviderProblem(variable: string, url: string, allow: readonly string[]): string | null {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  const address = host === 'localhost' ? '127.0.0.1' : host;
  const kind = isIP(address) ? forbiddenAddress(address) : null;
  if (!kind) return null;
  const list = parseOutboundAllow(allow);
  if (list.hosts.has(host) || list.networks.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6'))
    return null;
  return `${variable} points to ${host}, a ${kind} address: add ${host} to TEND_OUTBOUND_ALLOW to send there`;
}
