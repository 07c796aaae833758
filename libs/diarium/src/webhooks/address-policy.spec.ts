import { insideAddressKind, refusedHost } from './address-policy';

describe('where a webhook may point', () => {
  it('names loopback, private, link-local and other inside addresses, IPv4 and IPv6', () => {
    expect(
      ['127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '224.0.0.1', '255.255.255.255',
        '::1', '::', 'fe80::1', 'fd00::1', 'fc12::1', '::ffff:127.0.0.1', '::ffff:7f00:1', 'ff02::1'].map(insideAddressKind),
    ).toEqual([
      'a loopback address', 'a loopback address', 'a private address', 'a private address', 'a private address', 'a private address', 'a link-local address',
      'an unspecified address', 'a shared (carrier-grade NAT) address', 'a multicast address', 'a reserved address',
      'a loopback address', 'an unspecified address', 'a link-local address', 'a private (unique local) address', 'a private (unique local) address',
      'an IPv4-mapped address', 'an IPv4-mapped address', 'a multicast address',
    ]);
    expect(['8.8.8.8', '172.32.0.1', '193.11.0.1', '2a00:1450:4001::1'].map(insideAddressKind)).toEqual([null, null, null, null]);
  });

  it('resolves the host name: refuses a name that points inside, or that does not resolve; allows everything with KANSLI_WEBHOOK_ALLOW_PRIVATE', async () => {
    const dns: Record<string, string[]> = { 'diariet.kommun.se': ['193.11.0.1'], 'intern.kommun.se': ['193.11.0.1', '10.1.2.3'] };
    const resolve = async (host: string) => {
      if (host in dns) return dns[host];
      if (/^[\d.]+$|:/.test(host)) return [host];
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    expect(await refusedHost('https://diariet.kommun.se/in', false, resolve)).toBeNull();
    expect(await refusedHost('https://intern.kommun.se/in', false, resolve)).toMatch(/intern\.kommun\.se is 10\.1\.2\.3, a private address\): refused; set KANSLI_WEBHOOK_ALLOW_PRIVATE=true/);
    expect(await refusedHost('http://127.0.0.1:8080/', false, resolve)).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(await refusedHost('http://[::1]/', false, resolve)).toMatch(/::1 is a loopback address/);
    // The URL parser reads these as 127.0.0.1 too.
    expect(await refusedHost('http://2130706433/', false, resolve)).toMatch(/loopback/);
    expect(await refusedHost('http://0x7f.1/', false, resolve)).toMatch(/loopback/);
    expect(await refusedHost('https://saknas.example/', false, resolve)).toMatch(/cannot be resolved \(ENOTFOUND\)/);
    expect(await refusedHost('http://127.0.0.1:8080/', true, resolve)).toBeNull();
    expect(await refusedHost('https://saknas.example/', true, resolve)).toMatch(/cannot be resolved/);
  });
});
