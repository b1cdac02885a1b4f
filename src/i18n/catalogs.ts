// One import per namespace and language. Add a namespace: create locales/ko/<ns>.ts and
// locales/en/<ns>.ts exporting the same keys, then list both here.
import koCommon from './locales/ko/common';
import enCommon from './locales/en/common';
import koAccounts from './locales/ko/accounts';
import enAccounts from './locales/en/accounts';
import koOnboarding from './locales/ko/onboarding';
import enOnboarding from './locales/en/onboarding';
import koApi from './locales/ko/api';
import enApi from './locales/en/api';
import koWorkflow from './locales/ko/workflow';
import enWorkflow from './locales/en/workflow';
import koNotifications from './locales/ko/notifications';
import enNotifications from './locales/en/notifications';

import koInspection from './locales/ko/inspection';
import enInspection from './locales/en/inspection';
import koContract from './locales/ko/contract';
import enContract from './locales/en/contract';
import koSandbox from './locales/ko/sandbox';
import enSandbox from './locales/en/sandbox';
import koOauth from './locales/ko/oauth';
import enOauth from './locales/en/oauth';
import koTestbed from './locales/ko/testbed';
import enTestbed from './locales/en/testbed';
import koRequests from './locales/ko/requests';
import enRequests from './locales/en/requests';
import koUsage from './locales/ko/usage';
import koAudit from './locales/ko/audit';
import enAudit from './locales/en/audit';
import enUsage from './locales/en/usage';
import koPagination from './locales/ko/pagination';
import enPagination from './locales/en/pagination';

export const catalogs = {
  ko: {
    common: koCommon,
    accounts: koAccounts,
    onboarding: koOnboarding,
    api: koApi,
    workflow: koWorkflow,
    notifications: koNotifications,
    inspection: koInspection,
    contract: koContract,
    sandbox: koSandbox,
    oauth: koOauth,
    testbed: koTestbed,
    requests: koRequests,
    usage: koUsage,
    audit: koAudit,
    pagination: koPagination,
  },
  en: {
    common: enCommon,
    accounts: enAccounts,
    onboarding: enOnboarding,
    api: enApi,
    workflow: enWorkflow,
    notifications: enNotifications,
    inspection: enInspection,
    contract: enContract,
    sandbox: enSandbox,
    oauth: enOauth,
    testbed: enTestbed,
    requests: enRequests,
    usage: enUsage,
    audit: enAudit,
    pagination: enPagination,
  },
} as const;
