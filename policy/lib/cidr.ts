/**
 * Whether a CIDR block stays inside private address space: RFC 1918 and shared (CGNAT) IPv4 ranges,
 * IPv6 unique-local and link-local. Anything else (0.0.0.0/0, ::/0, 0.0.0.0/1, a public /32) reaches
 * beyond the networks the stack or its peers own. Hand-written: three ranges per family do not need a
 * dependency, and the IPv6 test needs only the first 16 bits.
 */

const PRIVATE_IPV4: readonly [number, number][] = [
  [ipv4("10.0.0.0"), 8],
  [ipv4("172.16.0.0"), 12],
  [ipv4("192.168.0.0"), 16],
  [ipv4("100.64.0.0"), 10],
];

function ipv4(address: string): number {
  return address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

function inIpv4Range(address: number, prefix: number, [base, bits]: [number, number]): boolean {
  const size = 2 ** (32 - bits);
  return prefix >= bits && Math.floor(address / size) === Math.floor(base / size);
}

/** True when every address of `cidr` is private; false for public, malformed or unknown notation. */
export function isPrivateCidr(cidr: string): boolean {
  const [address, bitsText] = cidr.trim().split("/");
  const bits = Number(bitsText ?? (address.includes(":") ? 128 : 32));
  if (!Number.isInteger(bits)) {
    return false;
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(address)) {
    return PRIVATE_IPV4.some((range) => inIpv4Range(ipv4(address), bits, range));
  }
  if (address.includes(":")) {
    const first = parseInt(address.split(":")[0] || "0", 16);
    // fc00::/7 (unique local), fe80::/10 (link local)
    return (bits >= 7 && (first & 0xfe00) === 0xfc00) || (bits >= 10 && (first & 0xffc0) === 0xfe80);
  }
  return false;
}
