// The test bed's authorize pages (what a fintech's user sees while connecting accounts).
export default {
  caption: 'Open Banking test bed · {organization}',
  cancel: 'Cancel',
  continue: 'Continue',
  cancelled_description: 'The user cancelled',
  error: {
    title: 'This authorization request cannot be processed',
    advice:
      'The service (institution) that sent you here is set up incorrectly. Contact that service. For your safety this page does not send you on to another site.',
    client_missing: 'client_id is missing.',
    client_invalid: 'The client_id is not registered or cannot be used.',
    redirect_missing: 'redirect_uri is missing.',
    redirect_unregistered:
      'The redirect_uri does not exactly match a callback URL registered by the institution (3000114).',
    duplicate: 'client_id or redirect_uri was given more than once (3000103).',
    expired:
      'The authorization session has expired or a new one was started in another window. Start again from the service (3002110).',
  },
  login: {
    title: 'Identity check',
    intro: 'Confirm who you are to connect your Open Banking accounts to {organization}.',
    testbed_note:
      "In the test bed, the test user's login ID and password stand in for the phone or certificate identity check.",
    login_id: 'Test user login ID',
    password: 'Password',
    submit: 'Confirm',
    failed: 'The login ID or password is wrong.',
  },
  accounts: {
    title: 'Choose accounts to connect',
    intro: '{name}, choose the accounts to register with {organization}.',
    legend: 'Your accounts',
    registered: 'Already registered',
    unusable: 'Not usable',
    none: 'There are no accounts you can register.',
    choose_one: 'Choose at least one account to register.',
  },
  consent: {
    title: 'Consents',
    intro: '{name}, review the consents {organization} needs.',
    accounts_title: 'Accounts to register',
    service_title: 'Use of Open Banking and collection of personal (credit) information (required)',
    service_text:
      'I agree that KFTC Open Banking gives {organization} my identification details (user number and name).',
    agree: 'I agree',
    inquiry_title: 'Third-party information provision — inquiries (required)',
    inquiry_text:
      'I agree to give {organization} the balances and transactions of the chosen accounts (Real Name Financial Transactions Act). Valid for one year.',
    transfer_title: 'Withdrawal consent (required)',
    transfer_text:
      'I agree that {organization} may withdraw from the chosen accounts when it requests it (Electronic Financial Transactions Act), confirmed by ARS or certificate. Valid for one year.',
    method_title: 'How to confirm the withdrawal consent',
    method_ars: 'ARS call (simulated)',
    method_certificate: 'Certificate (simulated)',
    ars_label: 'ARS code',
    ars_hint: 'The simulated ARS call reads out the number {code}. Enter it.',
    cert_label: 'Certificate password',
    cert_hint: "The simulated certificate's password is the test user's password.",
    allow: 'Agree and connect',
    service_required: 'Agree to the use of Open Banking to continue.',
    inquiry_required: 'Agree to the information provision for inquiries to continue.',
    transfer_required: 'Agree to the withdrawal consent to continue.',
    ars_wrong: 'The ARS code is wrong. Enter the number read out.',
    certificate_wrong: 'The certificate password is wrong.',
  },
};
