// The service graph, wired in one visible place. Each service is a factory with injected collaborators.
import type { Knex } from 'knex';
import type { AppConfig } from './config';
import type { Clock } from './clock';
import type { IdGenerator } from './db/ids';
import { createAuditService } from './audit/service';
import { createAccountsService } from './accounts/service';
import { createOnboardingService } from './onboarding/service';
import { createApplicationDocumentsService } from './onboarding/application-documents-service';
import { createApiTokensService } from './api/service';
import { createLedgerService } from './testbed/ledger/service';
import { createTestbedApiService } from './testbed/services/service';
import { createSandboxLedgerService } from './testbed/ledger/sandbox-ledger-service';
import { createCredentialsService } from './credentials/service';
import { createTestbedUsersService } from './testbed/users/service';
import { createOAuthService } from './testbed/oauth/service';
import { createManagementService } from './testbed/management/service';
import { createTokenGuard } from './testbed/common/token-guard';
import { createRequestLog } from './testbed/common/request-log';
import { createRequestLogQueries } from './testbed/common/request-log-queries';
import { createNotificationsService } from './notifications/service';
import { createWorkflowService } from './workflow/service';
import { createWorkflowRepository } from './workflow/repository';
import { createConformanceGate } from './workflow/testing-evidence-gate';
import { createInspectionService } from './inspection/service';
import { createContractService } from './contract/service';
import { createUsageQueries } from './usage/usage-queries';
import { createMetrics } from './ops/metrics';
import { createSandboxDefaults } from './sandbox-console/console-defaults';

export interface ServiceDeps {
  db: Knex;
  config: AppConfig;
  clock: Clock;
  ids: IdGenerator;
}

export function createServices(deps: ServiceDeps) {
  const audit = createAuditService(deps);
  const accounts = createAccountsService({
    ...deps,
    audit,
    mail: { queueEmail: (m, trx) => notifications.queueEmail(m, trx) }, // sign-up and reset e-mails via the outbox
    claims: createWorkflowRepository(),
  }); // a deactivated or re-roled staff member's claims return to the queue (in the same transaction)
  // Stage 1's submission is a workflow transition (which tells the reviewers), inside the submit's transaction.
  const onboarding = createOnboardingService({
    ...deps,
    audit,
    workflow: { transition: (...args) => workflow.transition(...args) },
    mail: { queueEmail: (m, trx) => notifications.queueEmail(m, trx) },
  }); // the submission receipt
  const applicationDocuments = createApplicationDocumentsService({ ...deps, audit }); // stage 1 documents (uploads, versions, downloads)
  const apiTokens = createApiTokensService({ ...deps, audit, accounts });
  const ledger = createLedgerService(deps);
  const testbedApi = createTestbedApiService({ ...deps, ledger }); // /v2.0 service APIs on the ledger
  const sandboxLedger = createSandboxLedgerService({ ...deps, ledger, audit }); // reset / top up an organization's sandbox
  // Every service that revokes tokens tells the guard after its commit (its cache does not watch SQL).
  const testbedTokenGuard = createTokenGuard({ db: deps.db, clock: deps.clock, jwtSecret: deps.config.jwtSecret });
  // Sandbox credentials and the test bed's OAuth server, test people and management APIs.
  const credentials = createCredentialsService({
    ...deps,
    audit,
    ledger,
    onTokensRevoked: () => testbedTokenGuard.forgetCachedTokens(),
    callbackCatcherUrl: `${deps.config.baseUrl}/sandbox/callback`,
  }); // the sandbox page's callback catcher (src/sandbox-console)
  const testbedUsers = createTestbedUsersService({ ...deps, audit, ledger });
  const oauth = createOAuthService({ ...deps, credentials, users: testbedUsers, tokenCache: testbedTokenGuard });
  const testbedManagement = createManagementService({
    ...deps,
    audit,
    users: testbedUsers,
    oauth,
    tokenCache: testbedTokenGuard,
  });
  // /metrics (off unless METRICS_TOKEN is set): one registry per app.
  const metrics = deps.config.metricsToken ? createMetrics({ db: deps.db }) : null;
  const testbedRequestLog = createRequestLog({
    db: deps.db,
    clock: deps.clock,
    retentionDays: deps.config.requestLogRetentionDays,
    onError: (err) => console.error('test-bed request log write failed', err),
    observer: metrics ? { recorded: metrics.emulatorAnswer, batchWritten: metrics.logBatch } : null,
  });
  // The read side of the request log: the requests pages, the API and the testing stage's conformance checklist.
  const testbedRequests = createRequestLogQueries({ db: deps.db, log: testbedRequestLog });
  const sandboxDefaults = createSandboxDefaults(deps.db); // what the sandbox page and the API console pre-fill
  const usage = createUsageQueries({ db: deps.db, clock: deps.clock, log: testbedRequestLog }); // /sandbox/usage, /staff/usage: counts over the request log and the pipeline
  const notifications = createNotificationsService(deps);
  // onSuitabilityApproved: sandbox credential issuance hooks in here (runs inside the approval transaction).
  const workflow = createWorkflowService({
    ...deps,
    audit,
    notifications,
    testingEvidenceGate: createConformanceGate({ db: deps.db, requests: testbedRequests }),
    onSuitabilityApproved: async (applicationId, trx) => {
      await credentials.issueSandboxCredentials(applicationId, trx);
    },
  });
  const inspection = createInspectionService({ ...deps, audit, workflow });
  // onContractCountersigned: production credential issuance hooks in here (runs inside the countersignature transaction).
  const contract = createContractService({
    ...deps,
    workflow,
    onContractCountersigned: async (applicationId, trx) => {
      await credentials.issueProductionCredentials(applicationId, trx);
    },
  });
  return {
    audit,
    accounts,
    onboarding,
    applicationDocuments,
    apiTokens,
    ledger,
    notifications,
    workflow,
    inspection,
    contract,
    credentials,
    testbedUsers,
    oauth,
    testbedManagement,
    testbedTokenGuard,
    testbedRequestLog,
    testbedRequests,
    testbedApi,
    sandboxLedger,
    sandboxDefaults,
    usage,
    metrics,
  };
}
export type Services = ReturnType<typeof createServices>;
