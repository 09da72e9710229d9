import { AuthError, ClientAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { classifyMsalError, msalErrorDetails } from './msal-errors.js';

describe('classifyMsalError', () => {
  it('sends the user back to sign-in for interaction_required and invalid_grant', () => {
    expect(classifyMsalError(new InteractionRequiredAuthError('interaction_required'))).toBe('reauth');
    expect(classifyMsalError(new InteractionRequiredAuthError('no_tokens_found'))).toBe('reauth');
    expect(classifyMsalError(new ServerError('invalid_grant', 'AADSTS700082: expired', undefined, '700082'))).toBe('reauth');
  });

  it('retries network failures and Entra outages', () => {
    expect(classifyMsalError(new ClientAuthError('network_error'))).toBe('transient');
    expect(classifyMsalError(new ServerError('temporarily_unavailable'))).toBe('transient');
    expect(classifyMsalError(new ServerError('whatever', 'x', undefined, undefined, 503))).toBe('transient');
    expect(classifyMsalError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('transient');
  });

  it('treats the rest as fatal (never a sign-out)', () => {
    expect(classifyMsalError(new ServerError('invalid_client'))).toBe('fatal');
    expect(classifyMsalError(new AuthError('unexpected_error'))).toBe('fatal');
    expect(classifyMsalError(new TypeError('bug'))).toBe('fatal');
  });

  it('extracts codes and ids for logs', () => {
    const error = new ServerError('invalid_grant', 'AADSTS50173: revoked', 'bad_token', '50173');
    error.setCorrelationId('corr');
    expect(msalErrorDetails(error)).toEqual({ errorCode: 'invalid_grant', subError: 'bad_token', errorNo: '50173', correlationId: 'corr' });
  });
});
