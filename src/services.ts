// The service graph, wired in one visible place. Each service is a factory with injected collaborators.
import type { Knex } from 'knex';
import type { AppConfig } from './config';
import type { Clock } from './clock';
import type { IdGenerator } from './db/ids';
import { createAuditService } from './audit/service';
import { createAccountsService } from './accounts/service';

export interface ServiceDeps { db: Knex; config: AppConfig; clock: Clock; ids: IdGenerator }

export function createServices(deps: ServiceDeps) {
  const audit = createAuditService(deps);
  const accounts = createAccountsService({ ...deps, audit });
  return { audit, accounts };
}
export type Services = ReturnType<typeof createServices>;
