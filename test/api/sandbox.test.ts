import t from 'tap';
import { build } from '../helpers/build';
import { PASSING_CHECKLIST } from './fixtures/answers';
import { staffApi, submittedApplication } from './fixtures/journey';
import { apiSignUp } from './fixtures/api-client';

t.test(
  'after suitability approval an applicant manages sandbox secrets through the API, each shown once',
  async (t) => {
    const app = await build(t, { demo: true });
    const { applicant, id } = await submittedApplication(app);
    const reviewer = await staffApi(app, 'reviewer');
    await reviewer.post(`/api/v1/applications/${id}/decisions`, {
      decision: 'approve',
      reason: '충족',
      checklist: PASSING_CHECKLIST,
    });
    const overview = await applicant.get('/api/v1/sandbox');
    t.equal(overview.status, 200);
    const sandbox = overview.body.credential_sets.find((s: { environment: string }) => s.environment === 'sandbox');
    t.ok(sandbox, 'sandbox credentials were issued on approval');
    t.match(sandbox.client_id, /\S/);

    const created = await applicant.post('/api/v1/sandbox/secrets', { expires_in_days: 30 });
    t.equal(created.status, 201, JSON.stringify(created.body));
    t.equal(created.headers['cache-control'], 'no-store');
    const secret = created.body.client_secret as string;
    t.ok(secret.length >= 20);
    const again = await applicant.get('/api/v1/sandbox');
    t.notMatch(JSON.stringify(again.body), secret, 'the secret is never shown again');
    const listed = again.body.credential_sets.find((s: { environment: string }) => s.environment === 'sandbox').secrets;
    t.equal(listed.length, 1);
    t.equal(listed[0].active, true);
    t.equal((await applicant.delete(`/api/v1/sandbox/secrets/${listed[0].id}`)).status, 204);
    const after = (await applicant.get('/api/v1/sandbox')).body.credential_sets.find(
      (s: { environment: string }) => s.environment === 'sandbox',
    ).secrets;
    t.same(after, [], 'the overview lists the active secrets only');
    const history = await applicant.get(`/api/v1/sandbox/credential-sets/${sandbox.id}/secrets`);
    t.equal(history.status, 200);
    t.same(
      history.body.secrets.map((x: { id: string; active: boolean }) => [x.id, x.active]),
      [[listed[0].id, false]],
      "the set's secrets list keeps the revoked one",
    );

    const badExpiry = await applicant.post('/api/v1/sandbox/secrets', { expires_in_days: 0 });
    t.equal(badExpiry.status, 422);
    t.same(
      badExpiry.body.error.errors.map((e: { field: string }) => e.field),
      ['expires_in_days'],
    );

    const cb = await applicant.post('/api/v1/sandbox/callback-urls', { url: 'https://app.example/oauth/callback' });
    t.equal(cb.status, 201);
    const added = cb.body.callback_urls.find((c: { url: string }) => c.url === 'https://app.example/oauth/callback');
    t.ok(added);
    const http = await applicant.post('/api/v1/sandbox/callback-urls', { url: 'http://app.example/cb' });
    t.equal(http.status, 422, 'a plain-http callback is refused by the same rule as the page');
    t.equal((await applicant.delete(`/api/v1/sandbox/callback-urls/${added.id}`)).status, 204);

    t.equal((await reviewer.get('/api/v1/sandbox')).status, 403, 'staff have no sandbox of their own');
    const stranger = await apiSignUp(app, { email: 'stranger@else.example' });
    t.equal(
      (await stranger.delete(`/api/v1/sandbox/callback-urls/${added.id}`)).status,
      404,
      'another organization cannot touch it',
    );
    t.equal((await stranger.post('/api/v1/sandbox/secrets', {})).status, 404, 'no credentials yet: not found');
  },
);

t.test('an applicant creates test people and opens their bank accounts through the API', async (t) => {
  const app = await build(t, { demo: true });
  const applicant = await apiSignUp(app, { email: 'people@fin.example' });
  const created = await applicant.post('/api/v1/sandbox/test-users', {
    name: '홍길동',
    birth_date: '1990-01-15',
    login_id: 'hong.api',
    password: 'test-pw-1',
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const seq = created.body.test_user.user_seq_no;
  t.match(seq, /^\d{10}$/);
  t.equal(created.body.test_user.own, true);
  t.notMatch(JSON.stringify(created.body), 'test-pw-1', 'the password is not echoed');
  const dup = await applicant.post('/api/v1/sandbox/test-users', {
    name: '홍길동',
    birth_date: '1990-01-15',
    login_id: 'hong.api',
    password: 'test-pw-1',
  });
  t.equal(dup.status, 422);
  t.same(
    dup.body.error.errors.map((e: { field: string }) => e.field),
    ['login_id'],
  );
  const opened = await applicant.post(`/api/v1/sandbox/test-users/${seq}/accounts`, {
    bank_code: '097',
    opening_balance: 1_000_000,
  });
  t.equal(opened.status, 201, JSON.stringify(opened.body));
  const account = opened.body.test_user.accounts.find(
    (a: { account_num: string }) => a.account_num === opened.body.account_num,
  );
  t.equal(account.balance, 1_000_000, 'the opening balance is there, to the won');
  const badBank = await applicant.post(`/api/v1/sandbox/test-users/${seq}/accounts`, {
    bank_code: '999',
    opening_balance: 1,
  });
  t.equal(badBank.status, 422);
  const negative = await applicant.post(`/api/v1/sandbox/test-users/${seq}/accounts`, {
    bank_code: '097',
    opening_balance: -5,
  });
  t.equal(negative.status, 422, 'a negative opening balance is refused');
  const other = await apiSignUp(app, { email: 'other-people@fin.example' });
  t.equal(
    (await other.post(`/api/v1/sandbox/test-users/${seq}/accounts`, { bank_code: '097', opening_balance: 1 })).status,
    404,
    "another organization's test person is not found",
  );
  const listed = await applicant.get('/api/v1/sandbox/test-users');
  t.ok(listed.body.test_users.some((p: { user_seq_no: string }) => p.user_seq_no === seq));
  t.notOk(
    (await other.get('/api/v1/sandbox/test-users')).body.test_users.some(
      (p: { user_seq_no: string }) => p.user_seq_no === seq,
    ),
  );
});
