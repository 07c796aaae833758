import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Address ranges a webhook may not reach unless the operator allows it: the host itself and the networks inside. */
const RANGES: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a reserved address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'an unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['::ffff:0:0', 96, 'ipv6', 'an IPv4-mapped address'],
  ['64:ff9b::', 96, 'ipv6', 'a NAT64 address'],
  ['100::', 64, 'ipv6', 'a discard address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
  ['fc00::', 7, 'ipv6', 'a private (unique local) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

const lists = RANGES.map(([network, prefix, type, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, kind };
});

/** What kind of inside address `address` is (loopback, private, link-local…), or null for a public one. */
export function insideAddressKind(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return lists.find((entry) => entry.type === type && entry.list.check(address, type))?.kind ?? null;
}

export const ALLOW_PRIVATE_HINT = 'set KANSLI_WEBHOOK_ALLOW_PRIVATE=true to allow it (tests, an in-house diarium)';

/** The URL's host name without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

type Resolve = (host: string) => Promise<string[]>;

const DNS_TIMEOUT_MS = 5_000;

/** Every address the host name resolves to (an IP literal is its own). */
export const resolveHost: Resolve = (host) =>
  isIP(host)
    ? Promise.resolve([host])
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), DNS_TIMEOUT_MS);
        dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(addresses.map((entry) => entry.address));
        });
      });

/**
 * Why the server may not call this URL's host, or null when it may: every address the name resolves to must be a
 * public one unless private addresses are allowed; a name that does not resolve is refused too.
 */
export async function refusedHost(url: string, allowPrivate: boolean, resolve: Resolve = resolveHost): Promise<string | null> {
  let host: string;
  try {
    host = hostOf(new URL(url));
  } catch {
    return null; // the decider refuses what is not a URL, with its own message
  }
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    return `url's host ${host} cannot be resolved (${(error as { code?: string }).code ?? 'lookup failed'}): give a host name the server can find`;
  }
  if (addresses.length === 0) return `url's host ${host} resolves to no address`;
  if (allowPrivate) return null;
  for (const address of addresses) {
    const kind = insideAddressKind(address);
    if (kind) return `url points inside the server's host or network (${host} is ${address === host ? '' : `${address}, `}${kind}): refused; ${ALLOW_PRIVATE_HINT}`;
  }
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the delivery's socket that refuses inside addresses at the moment of connecting, so a name that
 * resolved to a public address when the webhook was made cannot be pointed inside later (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, verbatim: true }, (error, address: string | LookupAddress[], family?: number) => {
      if (error) return callback(error, address, family);
      const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
      const inside = allowPrivate ? undefined : addresses.find((candidate) => insideAddressKind(candidate) !== null);
      if (inside) {
        const refusal: NodeJS.ErrnoException = new Error(`${hostname} is ${inside}, ${insideAddressKind(inside)}: refused; ${ALLOW_PRIVATE_HINT}`);
        refusal.code = 'EADDRREFUSED';
        return callback(refusal, address, family);
      }
      callback(null, address, family);
    });
  };
}
