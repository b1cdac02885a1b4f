import reference from './testbed-reference';

export default {
  ...reference,
  docs: {
    group: {
      oauth: 'OAuth 2.0 and the sandbox shortcut',
      management: 'User and account management (scope login)',
      services: 'Service APIs',
    },
    request_kind: {
      query: 'query string',
      form: 'form (application/x-www-form-urlencoded)',
      json: 'JSON body',
      browser: 'browser redirect',
    },
    covers: 'The pages of the flow:',
    field: 'Field',
    type: 'Type',
    length: 'Length',
    required_col: 'Required',
    meaning: 'Meaning',
    headers: 'Request headers',
    codes: 'Codes it can answer',
    example: 'Example',
    example_note:
      'Recorded from the emulator on the demo data (volatile values such as api_tran_id and tokens are placeholders); a test fails when the emulator answers otherwise.',
    example_request: 'Example request',
    example_response: 'Example response',
    codes_title: 'Response codes',
    codes_lead: 'Every rsp_code (A- and O-codes) and bank_rsp_code, with the APIs that can answer it.',
    code_filter: 'Find a code or a word',
    code_filter_submit: 'Search',
    code_filter_clear: 'Show all codes',
    code: 'Code',
    code_kind: 'Kind',
    code_kinds: { rsp: 'rsp_code', bank: 'bank_rsp_code' },
    answered_by: 'Answered by',
    code_none: 'No code matches “{filter}”.',
    title: 'Test-bed API documentation',
    lead: 'This emulator answers with the same paths, fields and response codes as the KFTC Open Banking test bed. Change only the host and code written for the real API works unchanged.',
    openapi: 'OpenAPI 3 document (JSON)',
    apis_title: 'Service APIs',
    method: 'Method',
    path: 'Path',
    scope: 'Scope',
    name: 'API',
    fields: 'Request fields',
    required: 'required',
    optional: 'optional',
    response: 'Response fields',
    inferred: 'inferred',
    inferred_note:
      '“Inferred” marks behaviour the public material does not pin down; the emulator made a reasonable choice.',
    rules_title: 'Common rules',
    rule_http200:
      'Errors are HTTP 200 too, told apart by rsp_code (A0000 = success). For deposits and transfer results, A0009 means: check each res_list item’s bank_rsp_code.',
    rule_bank_tran_id:
      'bank_tran_id is exactly 20 characters: your 이용기관코드 (10) + U + 9 alphanumerics, and may be used once per organization per day (inquiries included). A duplicate gets A0326 and money never moves twice; ask transfer/result for the original outcome.',
    rule_unknown:
      'Unknown fields never fail a call: they are reported in the X-Testbed-Warning response header and the request log (/sandbox/requests). A malformed field gets A0004 naming it.',
    rule_limits:
      'Sandbox limits: user withdrawal {per} KRW per transfer (A0111/455) and {daily} KRW a day (A0112/456); organization withdrawals {orgDaily} KRW a day (A0103) and {orgMonthly} KRW a month (A0104); deposits {dpDaily} KRW a day (A0101) and {dpMonthly} KRW a month (A0102).',
    rule_refusal:
      'A transfer the bank refuses (funds, limits, account state…) moves no money but its outcome is recorded, so transfer/result reports it. Format, permission and consent errors record nothing.',
    rule_cursor:
      'Paging: pass befor_inquiry_trace_info back unchanged for the next page (transaction_list, remit_list). A value the emulator did not issue — "", "123" (KFTC’s sample app’s default), "1T201806172" — is the first page, never an error.',
    choices_title: 'Where the emulator is lenient, and where it stays strict',
    choices_lead:
      'Public client code shows habits that the public material neither confirms nor rules out for the real test bed. Each choice, with its evidence:',
    choice_bank_tran_id:
      'bank_tran_id stays strict: exactly 20 characters (your 이용기관코드 + U + 9 alphanumerics, zero-padded). KFTC’s spec defines it as AN(20) and uniqueness is per id; one public client builds unpadded ids (19–21 characters about one time in ten). The A0004 answer names the length received and an example of your own form, e.g. M202600001U000000042.',
    choice_pass_phrase:
      'wd_pass_phrase is lenient: any value is accepted in the sandbox (KFTC’s samples send "NONE"; public clients send their own and nothing shows the test bed refusing them). Send "#A0307" to get A0307.',
    choice_holder_info:
      'account_holder_info_type accepts KFTC’s sample set " ", 1–6, E, N (and "0"); a missing type is " ". Birth date (" ", 0), resident number (1, its birth date) and business number (6) are checked against the holder; the other types are not (inferred).',
    scenarios_title: 'Scenario triggers',
    scenarios_lead: 'Send these inputs and the emulator answers with the matching error.',
    trigger: 'Trigger',
    applies_to: 'APIs',
    result: 'Result',
    trigger_kind: {
      amount: 'Amount',
      account: 'Account',
      marker: 'Print-content marker',
      bank_code: 'Bank code',
      natural: 'Real condition',
      clock: 'Time passing',
      field: 'Field value',
    },
    accounts_title: 'Scenario accounts (097 Open Bank)',
  },
  scenario: {
    'insufficient-funds': {
      title: 'Insufficient funds',
      note: 'tran_amt=4530 is refused with 453 whatever the balance.',
    },
    'insufficient-available': { title: 'Insufficient available balance', note: 'tran_amt=4540 is refused with 454.' },
    'balance-too-low': {
      title: 'Balance really too low',
      note: 'More than the balance is refused with 453 by the real ledger.',
    },
    'closed-account': {
      title: 'Closed account',
      note: 'Real-name and receiver checks on this account get A0002/415; a deposit gets A0009 with item bank_rsp_code 415.',
    },
    'closed-account-marker': {
      title: 'Closed account (marker)',
      note: 'Put #415 in a print content and the transfer is refused as if the account were closed.',
    },
    'accident-account': {
      title: 'Accident-reported account',
      note: 'This account is accident-reported (419; a deposit gets A0009 with item 419).',
    },
    'accident-account-marker': {
      title: 'Accident-reported account (marker)',
      note: 'Put #419 in a print content for 419.',
    },
    'suspended-account': {
      title: 'Suspended account',
      note: 'This account is suspended (420; a deposit gets A0009 with item 420).',
    },
    'suspended-account-marker': { title: 'Suspended account (marker)', note: 'Put #420 in a print content for 420.' },
    'bank-maintenance': {
      title: 'Bank under maintenance',
      note: 'Bank 064 (산림조합) is always under maintenance: bank/status shows N and calls on its accounts get A0002/499.',
    },
    'timeout-processing': {
      title: 'Timeout, then processed',
      note: 'tran_amt=7001 books the transfer but answers A0001 (processing). transfer/result shows it as processing for 10 seconds, then the original (successful) outcome.',
    },
    'name-mismatch': {
      title: 'Holder name mismatch',
      note: 'In an acnt_num deposit, an account_holder_name that differs from the holder fails the item with 815 (not checked with name_check_option=off).',
    },
    'per-transfer-limit': {
      title: 'Per-transfer limit exceeded',
      note: 'A withdrawal above 1,000,000 KRW gets A0111 (455).',
    },
    'daily-limit': {
      title: 'Daily limit exceeded',
      note: 'When the user’s withdrawals today would pass 5,000,000 KRW: A0112 (456).',
    },
    'org-daily-limit': {
      title: 'Organization daily limit',
      note: 'Put #A0103 in a print content to be refused as over the organization’s daily withdrawal limit.',
    },
    'org-monthly-limit': {
      title: 'Organization monthly limit',
      note: 'Put #A0104 in a print content to be refused as over the organization’s monthly withdrawal limit.',
    },
    'transfer-consent-expired': {
      title: 'Withdrawal consent expired',
      note: 'Put #A0319 in a print content to be refused as if the withdrawal consent had expired.',
    },
    'consent-expired-clock': {
      title: 'Consent expired (real)',
      note: 'Inquiry and withdrawal consents expire after a year: A0316 / A0319.',
    },
    'pass-phrase-refused': {
      title: 'Pass phrase refused',
      note: 'wd_pass_phrase "#A0307" answers A0307 (any other value is accepted in the sandbox).',
    },
    'return-returned': {
      title: 'Return claim: returned',
      note: 'A return claim on a deposit whose recipient still has the money is returned in full at once: return/result says return_yn Y, total_return_yn Y.',
    },
    'return-partial': {
      title: 'Return claim: partly returned',
      note: 'Put #RTN_PARTIAL in claim_message: half the amount is returned (return_yn Y, total_return_yn N, return_amt half).',
    },
    'return-refused': {
      title: 'Return claim: refused by the recipient',
      note: 'Put #RTN_REFUSED in claim_message: nothing moves; return/result says return_yn N, return_fail_code 499. A new claim may follow.',
    },
    'return-no-funds': {
      title: 'Return claim: recipient without funds',
      note: 'When the recipient’s balance is below the amount, nothing moves and return/result says return_yn N, return_fail_code 453.',
    },
    'fds-marker': {
      title: 'FDS detection on demand',
      note: 'Put #FDS in a withdrawal’s print content (it still succeeds): inquiry/fds_detect reports it with policy_rule FDS99.',
    },
    'fds-rapid-withdrawals': {
      title: 'FDS: many withdrawals in a short time',
      note: 'Five withdrawals from one account within 10 minutes: one detection, policy_rule FDS01, at the fifth.',
    },
    'fds-just-under-limit': {
      title: 'FDS: just under the limit',
      note: 'A withdrawal of 95–100 % of the per-transfer limit (950,000–1,000,000 KRW): policy_rule FDS02.',
    },
  },
  ledger: {
    title: 'Sandbox accounts and balances',
    lead: 'Your organization’s contract accounts and your test people’s accounts. Balances move on a real ledger; top-ups and resets are ledger entries too (nothing is deleted).',
    bank: 'Bank',
    account_num: 'Account number',
    holder: 'Holder',
    purpose: 'Purpose',
    status: 'Status',
    balance: 'Balance',
    opening_balance: 'Opening balance',
    none: 'No accounts yet. Contract accounts and test people’s accounts appear once sandbox credentials are issued.',
    purposes: {
      personal: 'Personal',
      deposit_paying: 'Deposit paying account',
      withdraw_collecting: 'Withdrawal collection account',
      fee: 'Fee account',
      system: 'System',
    },
    statuses: { active: 'Active', closed: 'Closed', suspended: 'Suspended', accident: 'Accident reported' },
    top_up_title: 'Top up a test account',
    account: 'Account',
    choose_account: 'Choose an account',
    amount: 'Amount (KRW)',
    amount_hint: 'Up to 100,000,000 KRW',
    top_up: 'Top up',
    topped_up: 'Added {amount} KRW to account {account}.',
    reset_title: 'Reset my sandbox',
    reset_lead:
      'Restores every account’s opening balance and status and clears today’s transfer-limit usage. Recorded as compensating entries; history stays.',
    reset: 'Reset my sandbox',
    reset_done: 'Sandbox reset ({count} accounts changed).',
    manage: 'See balances, top up, reset',
    back: 'Back to the sandbox accounts',
    history_title: 'Transactions of {account}',
    history_lead: 'Newest first, as the test bed’s ledger recorded them ({holder}).',
    col_time: 'Time (Korean time)',
    col_content: 'Description',
    col_type: 'Type',
    col_deposit: 'Paid in',
    col_withdrawal: 'Paid out',
    col_balance_after: 'Balance after',
    history_none: 'No transactions on this account.',
    history_link: 'Transactions',
    docs_link: 'API documentation and scenarios',
    errors: {
      account_required: 'Choose the account to top up',
      account_not_active: 'Only active accounts can be topped up. Reset your sandbox first',
      amount_required: 'Enter an amount',
      amount_range: 'Enter a whole number of KRW from 1 to {max}',
    },
  },
};
