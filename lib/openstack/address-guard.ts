// The address guard: decides, for every connection, whether the resolved IP address may be
// contacted. It runs after DNS resolution (inside the socket's lookup) and on IP literals, so a
// host name that resolves to a forbidden address is caught as well as a literal one.
//
// Link-local addresses (169.254.0.0/16, fe80::/10) are never allowed: that is where cloud
// metadata services live (169.254.169.254), and a catalog or redirect pointing there is an SSRF
// attempt, not a key-manager. Loopback and private ranges are refused unless the cloud's
// settings or the instance configuration allow them, which test labs (and the CLI on an
// operator's own machine) need.

import dns from 'node:dns';
import net from 'node:net';
import { AddressRefusedError } from './errors';

export type AddressClass =
  'link-local' | 'metadata' | 'unspecified' | 'multicast' | 'broadcast' | 'loopback' | 'private' | 'public';

export interface AddressPolicy {
  /** Allow loopback and private (RFC 1918, CGNAT, ULA) addresses. */
  allowPrivateAddresses: boolean;
  /** How an operator allows them, named in the refusal (default: the cloud setting or ALLOW_PRIVATE_ENDPOINTS). */
  privateAddressHint?: string;
}

const CLOUD_PRIVATE_ADDRESS_HINT =
  'the cloud allows private addresses (allow_private_addresses) or the instance sets ALLOW_PRIVATE_ENDPOINTS=true';

const ALWAYS_REFUSED: Record<string, string> = {
  'link-local': 'link-local addresses (169.254.0.0/16, fe80::/10) host cloud metadata services and are never contacted',
  metadata: 'this is a cloud metadata service address and is never contacted',
  unspecified: 'the unspecified address is not a valid destination',
  multicast: 'multicast addresses are not valid destinations',
  broadcast: 'the broadcast address is not a valid destination',
};

function blockList(entries: Array<[string, number, 'ipv4' | 'ipv6']>): net.BlockList {
  const list = new net.BlockList();
  for (const [prefix, bits, family] of entries) list.addSubnet(prefix, bits, family);
  return list;
}

const V4 = {
  linkLocal: blockList([['169.254.0.0', 16, 'ipv4']]),
  unspecified: blockList([['0.0.0.0', 8, 'ipv4']]),
  multicast: blockList([
    ['224.0.0.0', 4, 'ipv4'],
    ['240.0.0.0', 4, 'ipv4'],
  ]),
  loopback: blockList([['127.0.0.0', 8, 'ipv4']]),
  private: blockList([
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
    ['198.18.0.0', 15, 'ipv4'], // benchmarking
    ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ]),
};

const V6 = {
  linkLocal: blockList([['fe80::', 10, 'ipv6']]),
  multicast: blockList([['ff00::', 8, 'ipv6']]),
  private: blockList([['fc00::', 7, 'ipv6']]), // unique local addresses
  // Well-known IPv6 metadata endpoints (AWS Nitro); they sit inside fc00::/7, so are listed first.
  metadata: blockList([['fd00:ec2::254', 128, 'ipv6']]),
};

/** The eight 16-bit groups of an IPv6 address (with a dotted IPv4 tail expanded), or null. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (h: string) => (h ? h.split(':').map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 0) return null;
  const groups = [...head, ...Array(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 address an IPv6 address stands for, where it does: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d, deprecated but still routed by some stacks), IPv4-translated
 * (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96 and 64:ff9b:1::/48) and 6to4 (2002::/16).
 */
function embeddedIPv4(ip: string): string | undefined {
  const g = ipv6Groups(ip);
  if (!g) return undefined;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4Of(g[6], g[7]); // ::ffff:a.b.c.d
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return v4Of(g[6], g[7]); // ::ffff:0:a.b.c.d
  // ::a.b.c.d, but not :: (unspecified) nor ::1 (loopback), which are IPv6 addresses of their own.
  if (zeros(0, 6) && (g[6] !== 0 || g[7] > 1)) return v4Of(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4Of(g[6], g[7]); // 64:ff9b::/96
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return v4Of(g[6], g[7]); // 64:ff9b:1::/48
  if (g[0] === 0x2002) return v4Of(g[1], g[2]); // 6to4
  return undefined;
}

export function classifyAddress(ip: string): AddressClass {
  const family = net.isIP(ip);
  if (family === 4) {
    if (ip === '255.255.255.255') return 'broadcast';
    if (V4.linkLocal.check(ip, 'ipv4')) return 'link-local';
    if (V4.unspecified.check(ip, 'ipv4')) return 'unspecified';
    if (V4.multicast.check(ip, 'ipv4')) return 'multicast';
    if (V4.loopback.check(ip, 'ipv4')) return 'loopback';
    if (V4.private.check(ip, 'ipv4')) return 'private';
    return 'public';
  }
  if (family === 6) {
    const v4 = embeddedIPv4(ip);
    if (v4) return classifyAddress(v4);
    if (ip === '::' || /^0*:0*:0*:0*:0*:0*:0*:0*$/.test(ip) || ip === '::0') return 'unspecified';
    if (ip === '::1' || /^(0*:){7}0*1$/.test(ip)) return 'loopback';
    if (V6.linkLocal.check(ip, 'ipv6')) return 'link-local';
    if (V6.multicast.check(ip, 'ipv6')) return 'multicast';
    if (V6.metadata.check(ip, 'ipv6')) return 'metadata';
    if (V6.private.check(ip, 'ipv6')) return 'private';
    return 'public';
  }
  throw new TypeError(`not an IP address: ${ip}`);
}

/** The reason an address is refused under the policy, or undefined when it may be contacted. */
export function refusalReason(ip: string, policy: AddressPolicy): string | undefined {
  const cls = classifyAddress(ip);
  const always = ALWAYS_REFUSED[cls];
  if (always) return always;
  if ((cls === 'loopback' || cls === 'private') && !policy.allowPrivateAddresses) {
    return `${cls} addresses are refused unless ${policy.privateAddressHint ?? CLOUD_PRIVATE_ADDRESS_HINT}`;
  }
  return undefined;
}

export function assertAddressAllowed(host: string, ip: string, policy: AddressPolicy, url = ''): void {
  const reason = refusalReason(ip, policy);
  if (reason) throw new AddressRefusedError(host, ip, reason, url);
}

/** The instance-wide switch: ALLOW_PRIVATE_ENDPOINTS=true lets every cloud use private addresses. */
export function instanceAllowsPrivateEndpoints(env: Record<string, string | undefined> = process.env): boolean {
  return (env.ALLOW_PRIVATE_ENDPOINTS ?? '').trim().toLowerCase() === 'true';
}

export type LookupAll = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemLookupAll: LookupAll = (hostname, callback) =>
  dns.lookup(hostname, { all: true, verbatim: true }, callback);

type NetLookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for net/tls.connect that resolves all addresses and refuses the connection when
 * any of them is forbidden: a name that mixes allowed and forbidden addresses is a rebinding
 * trick, and picking the allowed one would only hide it.
 */
export function guardedLookup(policy: AddressPolicy, resolve: LookupAll = systemLookupAll) {
  return (hostname: string, options: dns.LookupOptions, callback: NetLookupCallback): void => {
    resolve(hostname, (err, addresses) => {
      if (err) return callback(err, []);
      const wanted =
        options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
      if (wanted.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`no address found for ${hostname}`);
        e.code = 'ENOTFOUND';
        return callback(e, []);
      }
      for (const a of wanted) {
        const reason = refusalReason(a.address, policy);
        if (reason) return callback(new AddressRefusedError(hostname, a.address, reason), []);
      }
      if (options.all) return callback(null, wanted);
      callback(null, wanted[0]!.address, wanted[0]!.family);
    });
  };
}
