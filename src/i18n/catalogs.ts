// One import per namespace and language. Add a namespace: create locales/ko/<ns>.ts and
// locales/en/<ns>.ts exporting the same keys, then list both here.
import koCommon from './locales/ko/common';
import enCommon from './locales/en/common';
import koAccounts from './locales/ko/accounts';
import enAccounts from './locales/en/accounts';

export const catalogs = {
  ko: { common: koCommon, accounts: koAccounts },
  en: { common: enCommon, accounts: enAccounts },
} as const;
