// The scale tests' set-up: the demo app with its database grown as the scale bench grows it
// (bench/scale-data.ts), and the three people who page through its lists, signed in.
import type { FastifyInstance } from 'fastify';
import { build, Browser, type TestContext } from './build';
import { demoHistoryAccount, growDatabase, scaleSizes, type GrowResult } from '../../bench/scale-data';

export async function grownApp(t: TestContext, factor: number): Promise<{ app: FastifyInstance; grown: GrowResult }> {
  const app = await build(t, { demo: true });
  const history = await demoHistoryAccount(app);
  const grown = await growDatabase(app.db, scaleSizes(factor), { historyAccountId: history.accountId });
  return { app, grown };
}

/** A reviewer, the demo organization's owner and an admin, each signed in through the real form. */
export async function listReaders(
  app: FastifyInstance,
): Promise<{ reviewer: Browser; owner: Browser; admin: Browser }> {
  const [reviewer, owner, admin] = [new Browser(app), new Browser(app), new Browser(app)];
  await reviewer.login('reviewer@portal.example');
  await owner.login('owner@demo-fintech.example');
  await admin.login('admin@portal.example');
  return { reviewer, owner, admin };
}
