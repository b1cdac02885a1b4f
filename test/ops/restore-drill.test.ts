// The restore drill (README "Backups and restores"): a snapshot taken with `npm run backup` while the
// server is under write load, restored with `npm run restore -- FILE` into an empty database, must boot,
// balance its ledger and hold every application, document (bytes matching their SHA-256) and audit event
// that existed when the backup began. Also: restore refuses a non-empty target.
import t from 'tap';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { Browser } from '../helpers/build';
import { applicationAt } from '../helpers/stage-shortcut';
import { HONG, fintechNumbers, userToken } from '../helpers/testbed';
import { withdrawBody } from '../helpers/testbed-services';

t.setTimeout(600_000);

/**
 * Runs `npm run <script> -- args` as the operator would, without npm's and the tsx command's own start-up
 * (two extra Node processes, about 0.8 s CPU a call, spent while the write load runs): the script's file is
 * read from package.json, which must still say `tsx <file>`, and run by Node with tsx's loader.
 */
function npm(
  script: 'backup' | 'restore',
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const file = /^tsx (scripts\/[\w-]+\.ts)$/.exec(scripts[script] ?? '')?.[1];
  if (!file) throw new Error(`package.json: "${script}" is not "tsx scripts/….ts" (${scripts[script]})`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function start(file: string, demo: boolean): Promise<FastifyInstance> {
  const config = loadConfig(
    { NODE_ENV: 'test', DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv,
    { loadDemoData: demo, baseUrl: 'http://localhost:3000' },
  );
  const app = await buildApp({ config });
  await app.ready();
  return app;
}

async function ids(app: FastifyInstance, table: string, column = 'id'): Promise<string[]> {
  return (await app.db(table).select(column)).map((r: Record<string, string>) => r[column]!).sort();
}

t.test(
  'a snapshot taken under write load restores into an empty database with a balanced ledger and every application, document hash and audit event',
  async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-drill-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const source = path.join(dir, 'portal.sqlite');
    const app = await start(source, true);
    t.teardown(() => app.close());

    // Data worth losing: an application in the security stage with its three documents uploaded.
    const a = await applicationAt(app, 'security:submitted');

    // Write load: withdrawals from 홍길동's account, 8 at a time, until told to stop.
    const token = await userToken(app, { userSeqNo: HONG.userSeqNo });
    const fin = Object.values(await fintechNumbers(app, HONG.userSeqNo))[0]!;
    let settled = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const res = await app.inject({
          method: 'POST',
          url: '/v2.0/transfer/withdraw/fin_num',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: withdrawBody(fin, { tran_amt: '100' }),
        });
        if (res.json().rsp_code === 'A0000') settled += 1;
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    while (settled < 50) await new Promise((r) => setTimeout(r, 20));

    // What must survive: everything committed before the backup begins.
    const before = {
      applications: await ids(app, 'applications'),
      documents: (await app.db('security_files').select('id', 'sha256'))
        .map((r: { id: string; sha256: string }) => `${r.id}:${r.sha256}`)
        .sort(),
      audit: await ids(app, 'audit_events'),
      withdrawals: Number(
        (await app.db('transactions').where({ kind: 'withdraw', status: 'settled' }).count({ n: '*' }).first())?.n,
      ),
    };
    const settledAtStart = settled;
    const backup = await npm('backup', { DATABASE_URL: `sqlite:${source}`, BACKUP_DIR: path.join(dir, 'backups') });
    const settledDuringBackup = settled - settledAtStart;
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await load;
    t.equal(backup.code, 0, `npm run backup: ${backup.stderr}`);
    const file = /backup written: (\S+)/.exec(backup.stdout)?.[1] ?? '';
    t.match(path.basename(file), /^portal-\d{8}T\d{9}Z\.sqlite$/, 'named with a UTC timestamp');
    t.ok(fs.existsSync(`${file}.manifest.json`), 'with a manifest');
    t.ok(settledDuringBackup > 0, `transfers went on while the backup ran (${settledDuringBackup})`);
    const after = Number(
      (await app.db('transactions').where({ kind: 'withdraw', status: 'settled' }).count({ n: '*' }).first())?.n,
    );

    // Restore into an empty database and start the portal on it.
    const target = path.join(dir, 'restored', 'portal.sqlite');
    const restore = await npm('restore', { DATABASE_URL: `sqlite:${target}` }, [file]);
    t.equal(restore.code, 0, `npm run restore: ${restore.stderr}`);
    const restored = await start(target, false);
    t.teardown(() => restored.close());

    const ledger = await restored.services.ledger.verifyBalances();
    t.ok(ledger.ok, 'the ledger balances');
    t.equal(ledger.totalDrift, 0, 'zero drift');
    t.same(ledger.mismatches, [], 'every cached balance equals the sum of its postings');
    t.same(ledger.unbalancedTransactions, [], "every transaction's postings sum to zero");
    const withdrawals = Number(
      (await restored.db('transactions').where({ kind: 'withdraw', status: 'settled' }).count({ n: '*' }).first())?.n,
    );
    t.ok(
      withdrawals >= before.withdrawals && withdrawals <= after,
      `a consistent point in time: ${before.withdrawals} ≤ ${withdrawals} ≤ ${after} settled withdrawals`,
    );

    const restoredApplications = new Set(await ids(restored, 'applications'));
    t.ok(
      before.applications.every((id) => restoredApplications.has(id)),
      `every application is there (${before.applications.length})`,
    );
    const restoredAudit = new Set(await ids(restored, 'audit_events'));
    t.ok(
      before.audit.every((id) => restoredAudit.has(id)),
      `every audit event is there (${before.audit.length})`,
    );
    const files = await restored.db('security_files').select('id', 'sha256', 'content');
    const restoredDocs = new Set(files.map((f: { id: string; sha256: string }) => `${f.id}:${f.sha256}`));
    t.ok(
      before.documents.length >= 3 && before.documents.every((d) => restoredDocs.has(d)),
      `every document hash is there (${before.documents.length})`,
    );
    t.ok(
      files.every(
        (f: { sha256: string; content: Buffer }) =>
          crypto.createHash('sha256').update(f.content).digest('hex') === f.sha256,
      ),
      "and every document's bytes match its hash",
    );
    const manifest = JSON.parse(fs.readFileSync(`${file}.manifest.json`, 'utf8')) as { tables: Record<string, number> };
    t.equal(
      manifest.tables.transactions,
      Number((await restored.db('transactions').count({ n: '*' }).first())?.n),
      'the manifest describes the restored data',
    );

    const signIn = new Browser(restored);
    await signIn.login('reviewer@portal.example');
    t.equal(
      (await signIn.get(`/staff/applications/${a.id}`)).statusCode,
      200,
      'the restored portal serves the application',
    );

    t.comment(
      `drill: ${Object.keys(manifest.tables).length} tables, ${Object.values(manifest.tables).reduce((x, y) => x + y, 0)} rows restored; ` +
        `${settledDuringBackup} withdrawals settled while the backup ran, ${withdrawals} in the snapshot (${before.withdrawals} before it began, ${after} at the end); ` +
        `${ledger.accounts} account balances checked, drift ${ledger.totalDrift}; ${before.applications.length} applications, ${before.documents.length} documents, ${before.audit.length} audit events present`,
    );
    console.log(
      `# drill figures: tables=${Object.keys(manifest.tables).length} rows=${Object.values(manifest.tables).reduce((x, y) => x + y, 0)} during_backup=${settledDuringBackup} snapshot_withdrawals=${withdrawals} before=${before.withdrawals} after=${after} accounts_checked=${ledger.accounts} drift=${ledger.totalDrift} applications=${before.applications.length} documents=${before.documents.length} audit=${before.audit.length}`,
    );

    const again = await npm('restore', { DATABASE_URL: `sqlite:${target}` }, [file]);
    t.equal(again.code, 1, 'a restore into a non-empty database is refused');
    t.match(again.stderr, /Refusing to restore: the target database .* is not empty/);
    const onLive = await npm('restore', { DATABASE_URL: `sqlite:${source}` }, [file]);
    t.equal(onLive.code, 1, 'including the live database');
    t.equal(
      Number((await app.db('applications').count({ n: '*' }).first())?.n),
      before.applications.length,
      'which is left untouched',
    );
  },
);

const pgUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL! : null;
const pgSkip = pgUrl
  ? false
  : 'DATABASE_URL is not PostgreSQL: run with DATABASE_URL=postgres://… (CI does) to test pg_dump/pg_restore';

t.test('a PostgreSQL backup and restore round-trip through pg_dump and pg_restore', { skip: pgSkip }, async (t) => {
  const url = pgUrl!;
  const { backupDatabase, restoreDatabase } = await import('../../src/ops/backup');
  const { default: knexFactory } = await import('knex');
  // Whole databases (not the per-test schemas): pg_dump and pg_restore act on a database.
  const suffix = crypto.randomBytes(4).toString('hex');
  const dbUrl = (name: string) => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  const names = [`drill_source_${suffix}`, `drill_target_${suffix}`];
  const role = await admin.raw('SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user');
  t.ok(
    role.rows[0]?.rolcreatedb,
    'the database role may create databases (pg_dump and pg_restore act on whole databases: grant it with ALTER ROLE … CREATEDB)',
  );
  if (!role.rows[0]?.rolcreatedb) {
    await admin.destroy();
    return;
  }
  for (const name of names) await admin.raw(`CREATE DATABASE ${name}`);
  // One teardown, in order: the apps close their connections before their databases are dropped.
  const apps: FastifyInstance[] = [];
  t.teardown(async () => {
    for (const a of apps.reverse()) await a.close();
    for (const name of names) await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
    await admin.destroy();
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-drill-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Each app opens (and on close destroys) its own pool from DATABASE_URL.
  const configFor = (name: string) =>
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: dbUrl(name) } as NodeJS.ProcessEnv, {
      loadDemoData: true,
      baseUrl: 'http://localhost:3000',
    });
  const app = await buildApp({ config: configFor(names[0]!) });
  apps.push(app);
  const result = await backupDatabase(dbUrl(names[0]!), dir);
  t.match(result.file, /\.pgdump$/);
  await restoreDatabase(result.file, dbUrl(names[1]!));
  const restored = await buildApp({ config: configFor(names[1]!) });
  apps.push(restored);
  t.ok((await restored.services.ledger.verifyBalances()).ok, 'the restored ledger balances');
  t.same(await ids(restored, 'applications'), await ids(app, 'applications'), 'every application is there');
  t.same(await ids(restored, 'audit_events'), await ids(app, 'audit_events'), 'every audit event is there');
  await t.rejects(
    restoreDatabase(result.file, dbUrl(names[1]!)),
    /Refusing to restore/,
    'a non-empty target is refused',
  );
});
