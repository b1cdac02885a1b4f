// Rule: a request number past the largest one the log can hold (its `seq` is an integer column, at most
// 2,147,483,647 on PostgreSQL) is an unknown request (404) or a bound that leaves every row in or out, never a 500.
// Found by the hostile-input suite on PostgreSQL: GET /sandbox/requests/20261203101010 answered 500.
import t from 'tap';
import { Browser, build } from '../helpers/build';
import { apiAs } from '../api/fixtures/api-client';
import { DEMO_ORGS, DEMO_PASSWORD } from '../../src/demo-accounts';
import { MAX_REQUEST_SEQ } from '../../src/testbed/common/request-log-queries';

t.test('request numbers beyond the log are unknown or empty bounds, on the pages and the API', async (t) => {
  const app = await build(t, { demo: true });
  const owner = DEMO_ORGS.demoFintech.owner;
  const browser = new Browser(app);
  await browser.login(owner);
  const huge = '20261203101010';
  const beyond = String(MAX_REQUEST_SEQ + 1);
  for (const n of [huge, beyond]) {
    t.equal((await browser.get(`/sandbox/requests/${n}`)).statusCode, 404, `the page of request ${n}: 404`);
    t.equal((await browser.get(`/sandbox/requests?before=${n}`)).statusCode, 200, `the list before ${n}: a page`);
  }
  const api = await apiAs(app, owner, DEMO_PASSWORD);
  for (const n of [huge, beyond]) {
    t.equal((await api.get(`/api/v1/sandbox/requests/${n}`)).status, 404, `GET /api/v1/sandbox/requests/${n}: 404`);
    const list = await api.get(`/api/v1/sandbox/requests?before=${n}`);
    t.equal(list.status, 200, `the API list before ${n}: 200`);
  }
});
