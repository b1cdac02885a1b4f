// Rule: service server addresses are IPv4 addresses or IPv4 CIDR blocks (prefix 0–32). KFTC registers
// them for its production allow-list; the emulator does not filter by address (a developer's laptop
// must reach it), so they are recorded and reviewed, not enforced here.
export const MAX_SERVER_IPS = 20;

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p));
}

/** "203.0.113.10" or "203.0.113.0/24" → normalized (spaces around "/" removed); null when invalid. */
export function normalizeIpv4OrCidr(input: string): string | null {
  const s = input.replace(/\s+/g, '');
  const [addr, prefix, extra] = s.split('/');
  if (extra !== undefined || !addr || !isIpv4(addr)) return null;
  if (prefix === undefined) return addr;
  if (!/^(3[0-2]|[12]?\d)$/.test(prefix)) return null;
  return `${addr}/${prefix}`;
}

/** True when `ip` (IPv4) is inside `entry` (an address or CIDR block). */
export function ipMatches(entry: string, ip: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  if (!isIpv4(ip)) return false;
  const [addr, prefix] = entry.split('/');
  if (!addr || !isIpv4(addr)) return false;
  const bits = prefix === undefined ? 32 : Number(prefix);
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : ~((1 << (32 - bits)) - 1) >>> 0;
  return (toInt(addr) & mask) >>> 0 === (toInt(ip) & mask) >>> 0;
}
