import assert from 'node:assert/strict';
import { applyScript, parseHostFacts, restoreInput, type HostFacts } from './firewall-rules';
import { parseAllowRule } from './network-allow';

describe('sandbox firewall rules', () => {
  const host: HostFacts = { backend: 'nft', lan: { 4: ['192.0.2.0/24'], 6: [] }, nameservers: { 4: ['10.255.255.53'], 6: [] } };

  it('parses allow-list entries and refuses anything else', () => {
    assert.deepEqual(parseAllowRule('10.1.2.3/32:5432'), { family: 4, cidr: '10.1.2.3/32', port: 5432 });
    assert.deepEqual(parseAllowRule('10.1.2.3:5432'), { family: 4, cidr: '10.1.2.3/32', port: 5432 });
    assert.deepEqual(parseAllowRule('10.0.0.0/8'), { family: 4, cidr: '10.0.0.0/8' });
    assert.deepEqual(parseAllowRule('fd00::/8'), { family: 6, cidr: 'fd00::/8' });
    assert.deepEqual(parseAllowRule('[fd00::5]:5432'), { family: 6, cidr: 'fd00::5/128', port: 5432 });
    assert.deepEqual(parseAllowRule('[fd00::5]'), { family: 6, cidr: 'fd00::5/128' });
    for (const bad of ['', 'example.com', '10.0.0.0/33', '10.1.2.3:0', '10.1.2.3:70000', '1.2.3.4; rm -rf /', '10.0.0.1/8 -j ACCEPT', '[fd00::5]:x']) {
      assert.equal(parseAllowRule(bad), undefined, bad);
    }
  });

  it('refuses the host whole and private, link-local and LAN destinations, after replies, DNS and exceptions', () => {
    const rules = restoreInput({ bridge: 'br-abc', family: 4, host, allow: [{ family: 4, cidr: '10.1.2.3/32', port: 5432 }] }).split('\n');
    const input = rules.filter((r) => r.startsWith('-A SLW-IN-br-abc'));
    assert.deepEqual(input, [
      '-A SLW-IN-br-abc -m conntrack --ctstate ESTABLISHED,RELATED -j RETURN',
      '-A SLW-IN-br-abc -d 10.255.255.53/32 -p udp --dport 53 -j RETURN',
      '-A SLW-IN-br-abc -d 10.255.255.53/32 -p tcp --dport 53 -j RETURN',
      '-A SLW-IN-br-abc -d 10.1.2.3/32 -p tcp --dport 5432 -j RETURN',
      '-A SLW-IN-br-abc -p tcp -j REJECT --reject-with tcp-reset',
      '-A SLW-IN-br-abc -j REJECT --reject-with icmp-admin-prohibited',
    ]);
    const forward = rules.filter((r) => r.startsWith('-A SLW-FWD-br-abc'));
    const firstRefusal = forward.findIndex((r) => r.includes('REJECT'));
    assert.ok(forward.slice(0, firstRefusal).every((r) => r.endsWith('-j RETURN')));
    for (const cidr of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8', '192.0.2.0/24']) {
      assert.ok(forward.includes(`-A SLW-FWD-br-abc -d ${cidr} -j REJECT --reject-with icmp-admin-prohibited`), cidr);
    }
    assert.ok(!forward.some((r) => r.includes('0.0.0.0/0')), 'the internet is not refused');
    assert.equal(rules[0], '*filter');
    assert.ok(rules.includes('COMMIT'));
  });

  it('for IPv6: unique local and link-local refused, neighbour discovery with the host kept', () => {
    const rules = restoreInput({ bridge: 'br-abc', family: 6, host, allow: [{ family: 4, cidr: '10.1.2.3/32' }] });
    assert.match(rules, /-A SLW-FWD-br-abc -d fc00::\/7 -j REJECT --reject-with icmp6-adm-prohibited/);
    assert.match(rules, /-A SLW-FWD-br-abc -d fe80::\/10 -j REJECT/);
    assert.match(rules, /-A SLW-IN-br-abc -p ipv6-icmp --icmpv6-type 135 -j RETURN/);
    assert.doesNotMatch(rules, /10\.1\.2\.3/, 'IPv4 exceptions stay out of ip6tables');
    const script = applyScript({ bridge: 'br-abc', family: 6, host, allow: [] });
    assert.match(script, /ip6tables-nft-restore/);
    assert.match(script, /else first FORWARD -i br-abc -j SLW-FWD-br-abc/, 'without an IPv6 DOCKER-USER, FORWARD');
  });

  it('reads what the helper reports about the host, ignoring anything malformed', () => {
    const facts = parseHostFacts('backend legacy\nlan4 192.0.2.0/24\nlan4 $(reboot)\nlan6 fe80::/64\nns 10.0.0.2\nns ::1\nns evil;x\n');
    assert.deepEqual(facts, { backend: 'legacy', lan: { 4: ['192.0.2.0/24'], 6: ['fe80::/64'] }, nameservers: { 4: ['10.0.0.2'], 6: ['::1'] } });
    assert.equal(parseHostFacts('backend none\n'), 'no-docker-user-chain');
  });
});
