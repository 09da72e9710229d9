import { AuthError, ClientAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { classifyMsalError, msalErrorDetails } from './msal-errors.js';

// msal-node 7 (msal-common 16) takes the correlation id as the second constructor argument of
// every error class (`new ServerError(errorCode, correlationId, errorMessage, subError,
// errorNo, status)`) and dropped `setCorrelationId()`: the errors below are built the way
// MSAL 7 builds them from a token endpoint answer (ResponseHandler.validateTokenResponse).

describe('classifyMsalError', () => {
  it('sends the user back to sign-in for interaction_required and invalid_grant', () => {
    expect(classifyMsalError(new InteractionRequiredAuthError('interaction_required', 'corr'))).toBe('reauth');
    expect(classifyMsalError(new InteractionRequiredAuthError('no_tokens_found', 'corr'))).toBe('reauth');
    expect(classifyMsalError(new ServerError('invalid_grant', 'corr', 'AADSTS700082: expired', undefined, '700082', 400))).toBe('reauth');
  });

  it('retries network failures and Entra outages', () => {
    expect(classifyMsalError(new ClientAuthError('network_error', 'corr'))).toBe('transient');
    expect(classifyMsalError(new ServerError('temporarily_unavailable', 'corr', 'AADSTS50196', undefined, '50196', 503))).toBe('transient');
    expect(classifyMsalError(new ServerError('whatever', 'corr', 'x', undefined, undefined, 503))).toBe('transient');
    expect(classifyMsalError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('transient');
    // msal-node 7's fetch client on an answer that is not JSON (a gateway's HTML error page).
    expect(classifyMsalError(new AuthError('token_parsing_error', '', "Failed to parse response: Unexpected token '<'"))).toBe('transient');
  });

  it('treats the rest as fatal (never a sign-out)', () => {
    expect(classifyMsalError(new ServerError('invalid_client', 'corr', 'AADSTS7000215: Invalid client secret provided.', undefined, '7000215', 401))).toBe('fatal');
    expect(classifyMsalError(new AuthError('unexpected_error', 'corr'))).toBe('fatal');
    // An id or access token MSAL cannot decode.
    expect(classifyMsalError(new ClientAuthError('token_parsing_error', 'corr'))).toBe('fatal');
    expect(classifyMsalError(new TypeError('bug'))).toBe('fatal');
  });

  it('extracts codes and ids for logs', () => {
    const error = new ServerError('invalid_grant', 'corr', 'AADSTS50173: revoked', 'bad_token', '50173', 400);
    expect(msalErrorDetails(error)).toEqual({ errorCode: 'invalid_grant', subError: 'bad_token', errorNo: '50173', correlationId: 'corr' });
  });
});
