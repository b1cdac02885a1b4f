// Token lifetimes as the real test bed prints them: access tokens live 7775999 seconds (90 days less a
// second); a refresh token expires 10 days after its access token.
export const ACCESS_TOKEN_TTL_S = 7_775_999;
export const REFRESH_EXTRA_MS = 10 * 24 * 60 * 60 * 1000;
