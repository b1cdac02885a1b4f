// One authorization rule per resource (src/workflow/application-access.ts STAFF_READERS), used by the
// pages and the JSON API alike: every staff role reads exactly what its pages show, no more.
import t from 'tap';
import crypto from 'node:crypto';
import { build } from '../helpers/build';
import { applicationInContract } from '../helpers/security-stage';
import { staffUser, STAFF_PASSWORD } from '../helpers/workflow';
import { ApiClient } from './fixtures/api-client';
import { STAFF_READERS } from '../../src/workflow/application-access';
import { STAFF_ROLES } from '../../src/accounts/types';

t.setTimeout(360_000);

t.test(
  'each staff role reads security documents, findings, file downloads and contracts through the API exactly as its pages allow',
  async (t) => {
    const app = await build(t);
    const a = await applicationInContract(app);
    const fileId = (await app.db('security_files').where({ application_id: a.id }).first('id')).id as string;
    for (const role of STAFF_ROLES) {
      const staff = await staffUser(app, role, `${role}-reader@staff.example`);
      const issued = await new ApiClient(app).post('/api/v1/tokens', {
        email: `${role}-reader@staff.example`,
        password: STAFF_PASSWORD,
      });
      const api = new ApiClient(app, issued.body.token);
      const cases: [string, 'security' | 'contract', string, string][] = [
        [
          'security documents',
          'security',
          `/api/v1/applications/${a.id}/documents`,
          `/staff/applications/${a.id}/security`,
        ],
        ['findings', 'security', `/api/v1/applications/${a.id}/findings`, `/staff/applications/${a.id}/security`],
        [
          'a staff file download',
          'security',
          `/api/v1/applications/${a.id}/documents/${fileId}`,
          `/staff/applications/${a.id}/security/files/${fileId}`,
        ],
        ['the contract', 'contract', `/api/v1/applications/${a.id}/contract`, `/staff/applications/${a.id}/contract`],
      ];
      for (const [what, resource, apiUrl, pageUrl] of cases) {
        const allowed = (STAFF_READERS[resource] as readonly string[]).includes(role);
        const viaApi = await api.get(apiUrl);
        const viaPage = await staff.browser.get(pageUrl);
        t.equal(viaApi.status, allowed ? 200 : 403, `${role}: ${what} through the API`);
        t.equal(viaPage.statusCode, allowed ? 200 : 403, `${role}: ${what} on the page`);
        if (!allowed) t.equal(viaApi.body.error.code, 'forbidden');
      }
    }
    t.same(
      STAFF_READERS,
      { security: ['inspector', 'admin'], contract: ['contract_officer', 'admin'] },
      'the least privilege the pages show',
    );
  },
);

t.test(
  "the applicant's own members still read their documents, findings and contract; another organization gets 404",
  async (t) => {
    const app = await build(t);
    const a = await applicationInContract(app);
    const fileId = (await app.db('security_files').where({ application_id: a.id }).first('id')).id as string;
    for (const url of [
      `/applications/${a.id}/security`,
      `/applications/${a.id}/security/files/${fileId}`,
      `/applications/${a.id}/contract`,
    ]) {
      t.equal((await a.browser.get(url)).statusCode, 200, url);
    }
    const orgId = crypto.randomUUID();
    await app.db('organizations').insert({ id: orgId, name: '다른핀테크', created_at: new Date().toISOString() });
    await app.services.accounts.createUserDirect({
      email: 'other@fin.example',
      name: '남',
      password: 'correct-horse-1',
      organizationId: orgId,
    });
    const issued = await new ApiClient(app).post('/api/v1/tokens', {
      email: 'other@fin.example',
      password: 'correct-horse-1',
    });
    const api = new ApiClient(app, issued.body.token);
    for (const url of [
      `/api/v1/applications/${a.id}/documents`,
      `/api/v1/applications/${a.id}/findings`,
      `/api/v1/applications/${a.id}/contract`,
      `/api/v1/applications/${a.id}/documents/${fileId}`,
    ]) {
      t.equal((await api.get(url)).status, 404, url);
    }
  },
);
