import { ConflictError } from '@odoo-sync/core/errors';
import { describe, expect, it } from 'vitest';
import {
  connectionSecrets,
  hostsOf,
  isDuplicateIdError,
  isDuplicateKeyError,
  isTransientDriverError,
  redactConnectionString,
  scrubError,
  toStoreError,
} from './driver-errors.js';

const URL = 'mongodb://app%40corp:p%40ss%3Aw0rd@db1.example:27017,db2.example/odoo?authSource=admin&authMechanismProperties=AWS_SESSION_TOKEN:tok123';

describe('connection strings', () => {
  it('redacts user-info and credential options', () => {
    const redacted = redactConnectionString(URL);
    expect(redacted).toBe('mongodb://***@db1.example:27017,db2.example/odoo?authSource=admin&authMechanismProperties=***');
    expect(redactConnectionString('mongodb+srv://cluster0.example/x')).toBe('mongodb+srv://cluster0.example/x');
  });

  it('lists the hosts without credentials', () => {
    expect(hostsOf(URL)).toBe('db1.example:27017,db2.example');
    expect(hostsOf('mongodb://127.0.0.1:27017')).toBe('127.0.0.1:27017');
  });

  it('finds the secrets in raw and decoded form', () => {
    const secrets = connectionSecrets(URL);
    expect(secrets).toContain('p%40ss%3Aw0rd');
    expect(secrets).toContain('p@ss:w0rd');
    expect(secrets).toContain('AWS_SESSION_TOKEN:tok123');
    expect(connectionSecrets('mongodb://localhost/x')).toEqual([]);
  });
});

describe('driver errors', () => {
  it('masks secrets in a kept cause, and leaves clean errors alone', () => {
    const dirty = new Error('auth failed for p@ss:w0rd');
    const scrubbed = scrubError(dirty, connectionSecrets(URL)) as Error;
    expect(scrubbed).not.toBe(dirty);
    expect(`${scrubbed.message} ${scrubbed.stack}`).not.toContain('w0rd');
    const clean = new Error('connect ECONNREFUSED');
    expect(scrubError(clean, connectionSecrets(URL))).toBe(clean);
  });

  it('wraps driver failures in a store_error that names the operation, and passes odoo-sync errors through', () => {
    const wrapped = toStoreError(Object.assign(new Error('connection p@ss:w0rd reset'), { name: 'MongoNetworkError' }), 'getStates', connectionSecrets(URL));
    expect(wrapped).toMatchObject({ code: 'store_error', retryable: true });
    expect(wrapped.message).toContain('getStates');
    expect(wrapped.message).not.toContain('w0rd');
    expect(toStoreError(Object.assign(new Error('bad'), { name: 'MongoServerError', code: 2 }), 'find')).toMatchObject({ retryable: false });
    const conflict = new ConflictError('taken');
    expect(toStoreError(conflict, 'createUser')).toBe(conflict);
  });

  it('recognises duplicate keys, on _id or another index, and transient failures', () => {
    expect(isDuplicateKeyError({ code: 11000 })).toBe(true);
    expect(isDuplicateKeyError({ code: 11000, writeErrors: [{ index: 0, code: 11000 }, { index: 3, code: 11000 }] })).toBe(true);
    expect(isDuplicateKeyError({ code: 11000, writeErrors: [{ index: 0, code: 11000 }, { index: 1, code: 121 }] })).toBe(false);
    expect(isDuplicateKeyError({ code: 121 })).toBe(false);
    expect(isDuplicateIdError({ code: 11000, keyPattern: { _id: 1 } })).toBe(true);
    expect(isDuplicateIdError({ code: 11000, keyPattern: { emailKey: 1 } })).toBe(false);
    expect(isDuplicateIdError({ code: 11000, message: 'E11000 duplicate key error index: _id_ dup key: { _id: u1 }' })).toBe(true);
    expect(isTransientDriverError({ name: 'MongoServerSelectionError' })).toBe(true);
    expect(isTransientDriverError({ code: 11600 })).toBe(true);
    expect(isTransientDriverError({ errorLabels: ['RetryableWriteError'] })).toBe(true);
    expect(isTransientDriverError({ code: 11000 })).toBe(false);
  });
});
