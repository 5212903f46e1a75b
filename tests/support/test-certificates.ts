// Certificates made at test time with the `openssl` binary (node:crypto can parse X.509 but not
// issue it): a CA the tests trust, and server certificates that are valid, expired, for another
// host, or self-signed. Keys are P-256 so generation stays quick on a loaded machine.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir.ts';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCertificates {
  /** The CA's certificate: what a test passes as the client's trust anchor. */
  ca: string;
  /** For IP 127.0.0.1 and localhost, signed by the CA. */
  valid: KeyPair;
  /** As valid, but its validity ended before it began. */
  expired: KeyPair;
  /** Signed by the CA for another host name. */
  wrongHost: KeyPair;
  /** For 127.0.0.1 but signed by itself. */
  selfSigned: KeyPair;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function makeTestCertificates(): TestCertificates {
  const { dir, cleanup } = makeTempDir('autobot-certs-');
  try {
    openssl(dir, [
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=AUTOBOT Test CA',
    ]);
    const issue = (name: string, san: string, days: string): KeyPair => {
      writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
      openssl(dir, [
        'req',
        ...newKey,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${name}`,
      ]);
      openssl(dir, [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        days,
        '-extfile',
        `${name}.ext`,
      ]);
      return read(name);
    };
    const read = (name: string): KeyPair => ({
      key: readFileSync(path.join(dir, `${name}.key`), 'utf8'),
      cert: readFileSync(path.join(dir, `${name}.crt`), 'utf8'),
    });
    const valid = issue('valid', 'IP:127.0.0.1,DNS:localhost', '2');
    // Validity ending a day before it starts: expired from the moment it exists.
    const expired = issue('expired', 'IP:127.0.0.1,DNS:localhost', '-1');
    const wrongHost = issue('wronghost', 'DNS:other.invalid', '2');
    writeFileSync(path.join(dir, 'self.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl(dir, [
      'req',
      '-x509',
      ...newKey,
      '-keyout',
      'self.key',
      '-out',
      'self.crt',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    return {
      ca: readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
      valid,
      expired,
      wrongHost,
      selfSigned: read('self'),
    };
  } finally {
    cleanup();
  }
}
