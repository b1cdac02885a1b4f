import t from 'tap';
import { Readable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { build, signUp } from '../helpers/build';
import { postMultipart, SAMPLE_FILES } from '../helpers/multipart';
import { applicationAt } from '../helpers/stage-shortcut';
import { staffUser } from '../helpers/workflow';

// The fixture walks an application through the earlier stages on the real pages: allow for a busy machine.
t.setTimeout(360_000);

const upload = (id: string) => `/applications/${id}/security/documents`;

/**
 * A 4 MB multipart upload handed out in 64 KB chunks, only when the server asks for them: says whether the
 * server pulled more than the first chunk before answering (resolves with null if no answer came in `ms`).
 */
async function bigUpload(app: FastifyInstance, url: string, cookies: Map<string, string>, ms = 60_000) {
  const boundary = '----obpbigupload';
  let reads = 0;
  const body = new Readable({
    read() {
      reads += 1;
      if (reads === 1)
        this.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
            'latin1',
          ),
        );
      else if (reads <= 64)
        this.push(Buffer.alloc(64 * 1024, 0x41)); // more bytes, whenever asked
      else if (reads === 65) this.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
      else this.push(null);
    },
  });
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let timer: NodeJS.Timeout | undefined;
  const response = (await Promise.race([
    app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...(cookie ? { cookie } : {}) },
    }),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    }),
  ])) as LightMyRequestResponse | null;
  clearTimeout(timer);
  body.destroy();
  return { response, pulledMoreThanOneChunk: reads > 2 };
}

t.test(
  'an upload from someone who may not send it is refused before its body is read, and nothing is stored',
  async (t) => {
    const app = await build(t);
    const a = await applicationAt(app, 'security');
    const files = async () =>
      Number((await app.db('security_files').where({ application_id: a.id }).count({ n: '*' }).first())?.n);

    const anonymous = await bigUpload(app, upload(a.id), new Map());
    t.ok(anonymous.response, 'an anonymous upload is answered');
    t.ok(
      [303, 401].includes(anonymous.response?.statusCode ?? 0),
      `anonymous: refused (${anonymous.response?.statusCode})`,
    );
    t.notOk(anonymous.pulledMoreThanOneChunk, 'anonymous: the body was not read');

    const other = await signUp(app, { email: 'stranger@else.example', organization: '다른회사' });
    const stranger = await bigUpload(app, upload(a.id), other.cookies);
    t.equal(stranger.response?.statusCode, 404, 'another organization’s member: not found, without reading the body');
    t.notOk(stranger.pulledMoreThanOneChunk, 'stranger: the body was not read');

    const inspector = await staffUser(app, 'inspector');
    const staff = await bigUpload(app, upload(a.id), inspector.browser.cookies);
    t.equal(staff.response?.statusCode, 403, 'staff: forbidden, without reading the body');
    t.notOk(staff.pulledMoreThanOneChunk, 'staff: the body was not read');

    const remediation = await bigUpload(
      app,
      `/applications/${a.id}/security/findings/${a.id}/remediation`,
      other.cookies,
    );
    t.equal(remediation.response?.statusCode, 404, 'a remediation upload is admitted the same way');

    // A complete upload with a valid CSRF token from the stranger's own page is refused the same way.
    const complete = await postMultipart(
      other,
      upload(a.id),
      { kind: 'self_assessment' },
      [{ filename: 'x.pdf', content: SAMPLE_FILES.pdf }],
      { formUrl: '/account' },
    );
    t.equal(complete.statusCode, 404);
    t.equal(await files(), 0, 'nothing was stored');

    // The owner's own upload still works.
    const own = await postMultipart(
      a.browser,
      upload(a.id),
      { kind: 'self_assessment' },
      [{ filename: 'a.pdf', content: SAMPLE_FILES.pdf }],
      { formUrl: `/applications/${a.id}/security` },
    );
    t.equal(own.statusCode, 303);
    t.equal(await files(), 1);
  },
);
