import crypto from 'node:crypto';
import zlib from 'node:zlib';
import t from 'tap';
import { acceptsGzip, combineCrc, crcShift, gzipAround } from '../../src/http/gzip-splice';
import { build, Browser } from '../helpers/build';

const text = (bytes: number, seed: string) => {
  const words = ['잔액', 'balance', '거래내역', 'rsp_code', 'A0000', '<td>', '</tr>', '출금이체', '\n  '];
  const out: string[] = [];
  let h = crypto.createHash('sha256').update(seed).digest();
  for (let n = 0; n < bytes; ) {
    h = crypto.createHash('sha256').update(h).digest();
    for (const b of h) {
      const w = words[b % words.length]!;
      out.push(w);
      n += Buffer.byteLength(w);
    }
  }
  return Buffer.from(out.join(''));
};

t.test('a spliced gzip member inflates to head + body + tail, for any sizes of the three parts', async (t) => {
  const body = text(300_000, 'body');
  const cases: [string, Buffer, Buffer][] = [
    ['a layout-sized head and tail', text(5_000, 'h'), text(800, 't')],
    ['a head over two stored blocks (65,535 bytes each)', crypto.randomBytes(150_000), text(10, 't')],
    ['an empty head and an empty tail', Buffer.alloc(0), Buffer.alloc(0)],
    ['a tail of exactly one full stored block', text(100, 'h'), crypto.randomBytes(65_535)],
  ];
  for (const [name, head, tail] of cases) {
    const packed = Buffer.concat(gzipAround(head, body, tail));
    t.ok(Buffer.concat([head, body, tail]).equals(zlib.gunzipSync(packed)), name);
  }
  const first = Buffer.concat(gzipAround(text(100, 'a'), body, Buffer.alloc(0)));
  t.ok(first.length < body.length / 2, `the body goes compressed (${first.length} bytes for ${body.length})`);
  t.ok(
    zlib
      .gunzipSync(Buffer.concat(gzipAround(Buffer.from('x'), Buffer.alloc(0), Buffer.from('y'))))
      .equals(Buffer.from('xy')),
    'an empty body',
  );
});

t.test(
  'the CRC-32 of two joined parts comes from their own CRCs, as zlib computes it over the joined bytes',
  async (t) => {
    for (const [a, b] of [
      [0, 0],
      [1, 1],
      [5, 1000],
      [100, 276_000],
      [3, 65_536],
      [0, 4_097],
      [7, 1 << 20],
    ] as const) {
      const A = crypto.randomBytes(a);
      const B = crypto.randomBytes(b);
      t.equal(
        combineCrc(zlib.crc32(A), zlib.crc32(B), crcShift(b)),
        zlib.crc32(Buffer.concat([A, B])),
        `${a} + ${b} bytes`,
      );
    }
  },
);

t.test('the trailer is checked: a member whose CRC or length is wrong does not inflate', async (t) => {
  const packed = Buffer.concat(gzipAround(text(2_000, 'h'), text(50_000, 'b'), text(300, 't')));
  const badCrc = Buffer.from(packed);
  badCrc[badCrc.length - 8]! ^= 1;
  t.throws(() => zlib.gunzipSync(badCrc), 'a wrong CRC-32 is refused');
  const badLength = Buffer.from(packed);
  badLength[badLength.length - 1]! ^= 1;
  t.throws(() => zlib.gunzipSync(badLength), 'a wrong length is refused');
});

t.test('gzip only when the client takes it over identity (Accept-Encoding q-values)', async (t) => {
  t.ok(acceptsGzip('gzip, deflate, br, zstd'), 'what a browser sends');
  t.ok(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1'));
  t.ok(acceptsGzip('*'));
  t.notOk(acceptsGzip(undefined), 'no header: identity');
  t.notOk(acceptsGzip(''), 'an empty header: identity');
  t.notOk(acceptsGzip('br'), 'an encoding we do not make: identity');
  t.notOk(acceptsGzip('gzip;q=0'), 'gzip refused outright');
  t.notOk(acceptsGzip('identity;q=1, gzip;q=0.5'), 'identity preferred');
  t.notOk(acceptsGzip(`gzip, ${'x'.repeat(300)}`), 'a header longer than any browser sends: identity');
});

t.test(
  '/docs goes gzip-compressed to a client that takes it: the same page in under a fifth of the bytes, secrets uncompressed',
  async (t) => {
    const app = await build(t, { demo: true });
    const reviewer = new Browser(app);
    await reviewer.login('reviewer@portal.example');
    for (const lang of ['ko', 'en']) {
      const plain = await reviewer.get(`/docs?lang=${lang}`);
      const packed = await reviewer.get(`/docs?lang=${lang}`, { 'accept-encoding': 'gzip, deflate, br' });
      t.equal(plain.statusCode, 200);
      t.equal(packed.statusCode, 200);
      t.equal(plain.headers['content-encoding'], undefined, `${lang}: identity without Accept-Encoding`);
      t.equal(packed.headers['content-encoding'], 'gzip', `${lang}: gzip when accepted`);
      t.match(String(packed.headers.vary), /accept-encoding/i, 'caches are told the answer varies');
      t.equal(
        Number(packed.headers['content-length']),
        packed.rawPayload.length,
        'the declared length is the sent one',
      );
      t.equal(Number(plain.headers['content-length']), plain.rawPayload.length);
      // The same page but for the sign-out form's CSRF token, which is made afresh for every page.
      const sameBut = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');
      t.equal(
        sameBut(zlib.gunzipSync(packed.rawPayload).toString()),
        sameBut(plain.body),
        `${lang}: inflates to the identity page`,
      );
      t.ok(
        packed.rawPayload.length * 5 < plain.rawPayload.length,
        `${packed.rawPayload.length} against ${plain.rawPayload.length} bytes`,
      );
    }
    // BREACH: the visitor's secrets are never compressed, so they cannot shape the compressed length.
    const packed = await reviewer.get('/docs', { 'accept-encoding': 'gzip' });
    const token = /name="_csrf" value="([^"]+)"/.exec(zlib.gunzipSync(packed.rawPayload).toString())?.[1];
    t.ok(token, 'the page holds the sign-out form’s CSRF token');
    t.ok(packed.rawPayload.includes(Buffer.from(`value="${token}"`)), 'which goes as it is, in a stored block');
    const refused = await reviewer.get('/docs', { 'accept-encoding': 'gzip;q=0, identity' });
    t.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0: identity');
    const filtered = await reviewer.get('/docs?code=A0003', { 'accept-encoding': 'gzip' });
    t.equal(filtered.headers['content-encoding'], undefined, 'a page rendered for the request goes as it is');
  },
);
