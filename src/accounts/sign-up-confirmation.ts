// Rule: sign-up never tells whether an e-mail address is registered. Every valid sign-up gets the same
// answer ("check your e-mail", 303 on the page, 202 from the API); a new address is sent a one-time
// confirmation link (stored as its SHA-256, valid SIGNUP_LINK_TTL_MS) and the account exists only once the
// link is used; a registered address's owner is sent a "you already have an account" e-mail instead.
export const SIGNUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
