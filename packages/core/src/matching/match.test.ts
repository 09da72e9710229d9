import { describe, expect, it } from 'vitest';
import {
  canonicalEmail,
  DEFAULT_STRATEGIES,
  describeMatch,
  describeMatchFailure,
  type DirectoryEmployee,
  type DirectorySalesperson,
  type DirectoryUser,
  type IdentityMatchResult,
  type IdentityStrategy,
  matchByEmail,
  matchByEmployeeNumber,
  matchByName,
  matchBySalesperson,
  matchOdooIdentity,
  type OdooDirectory,
  prepareDirectory,
} from './index.js';
import { personAddresses } from './directory.js';
import { resolveHits } from './resolve.js';

const user = (odooId: number, name: string | null, login: string | null, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  odooId,
  name,
  login,
  email: login !== null && login.includes('@') ? login : null,
  ...extra,
});

const employee = (
  odooId: number,
  name: string,
  workEmail: string | null,
  userId: number | null,
  extra: Partial<DirectoryEmployee> = {},
): DirectoryEmployee => ({
  odooId,
  name,
  workEmail,
  userId: userId === null ? null : { id: userId, name },
  ...extra,
});

const directory = (
  users: DirectoryUser[] = [],
  employees: DirectoryEmployee[] = [],
  salespersons: DirectorySalesperson[] = [],
): OdooDirectory => ({ users, employees, salespersons });

function expectMatched(result: IdentityMatchResult<string>): Extract<IdentityMatchResult<string>, { status: 'matched' }> {
  if (result.status !== 'matched') throw new Error(`expected a match, got ${result.status}: ${result.reason}`);
  return result;
}

function expectNotMatched(result: IdentityMatchResult<string>): Extract<IdentityMatchResult<string>, { status: 'ambiguous' | 'not_found' }> {
  if (result.status === 'matched') throw new Error(`expected no match, got ${JSON.stringify(result)}`);
  return result;
}

describe("the person's other addresses", () => {
  const dir = directory([user(7, 'Ana Souza', 'ana.souza@x.com'), user(8, 'Bruno Lima', 'bruno.lima@x.com')], [employee(70, 'Ana Souza', 'ana.souza@x.com', 7)]);

  it('link by any of them: the sign-in name Odoo knows when the e-mail claim is another address', () => {
    const person = { email: 'a.souza@x.com', name: 'Ana Souza', otherEmails: ['Ana.Souza@X.com'] };
    const result = expectMatched(matchOdooIdentity(person, dir));
    expect(result).toMatchObject({ odooUserId: 7, employeeId: 70, strategy: 'email' });
    expect(result.evidence.value).toBe('ana.souza@x.com');
    expect(describeMatch(result, person)).toBe('Linked to Odoo by e-mail (ana.souza@x.com).');
    // Without it, the same person is refused: Odoo knows another mailbox for that name.
    expect(matchOdooIdentity({ email: 'a.souza@x.com', name: 'Ana Souza' }, dir)).toMatchObject({ status: 'ambiguous', code: 'email_conflict' });
  });

  it('are ambiguous when they point at two people, and ignored when empty, repeated or null', () => {
    expect(matchOdooIdentity({ email: 'ana.souza@x.com', name: null, otherEmails: ['bruno.lima@x.com'] }, dir)).toMatchObject({
      status: 'ambiguous',
      code: 'several_candidates',
    });
    expect(personAddresses(prepareDirectory(dir), { email: ' Ana.Souza+crm@X.com', name: null, otherEmails: [null, '', 'ana.souza@x.com', 'A@x.com'] })).toEqual([
      'ana.souza@x.com',
      'a@x.com',
    ]);
    expect(expectNotMatched(matchOdooIdentity({ email: null, name: null, otherEmails: ['zed@x.com'] }, dir)).reason).toContain('zed@x.com');
  });

  it("agree with a name when one of them is Odoo's mailbox for that person", () => {
    const byName = { strategies: [matchByName] };
    expect(matchOdooIdentity({ email: 'asouza@x.com', name: 'Souza, Ana', otherEmails: ['ana.souza@x.com'] }, dir, byName)).toMatchObject({
      status: 'matched',
      odooUserId: 7,
      strategy: 'name',
    });
    expect(matchOdooIdentity({ email: 'asouza@x.com', name: 'Souza, Ana', otherEmails: ['other@x.com'] }, dir, byName)).toMatchObject({
      status: 'ambiguous',
      code: 'email_conflict',
    });
  });
});

describe('addresses Microsoft 365 vouches for (aliases)', () => {
  // Bruno left; his address now reaches Ana's mailbox (an alias of hers), but Odoo still gives it to him.
  const dir = directory(
    [user(7, 'Ana Souza', 'ana.souza@old.example'), user(8, 'Bruno Lima', 'bruno.lima@x.com'), user(9, 'Carla Dias', 'carla@x.com')],
    [employee(70, 'Ana Souza', 'ana.souza@old.example', 7)],
  );

  it('link by an alias alone when the Odoo person holding it bears the name', () => {
    const person = { email: 'ana@new.example', name: 'SOUZA, Ána', otherEmails: ['ana@new.example', 'ana.souza@old.example'] };
    const result = expectMatched(matchOdooIdentity(person, dir));
    expect(result).toMatchObject({ odooUserId: 7, employeeId: 70, strategy: 'email' });
    expect(describeMatch(result, person)).toBe('Linked to Odoo by e-mail (ana.souza@old.example).');
  });

  it("never link by an alias that Odoo gives someone of another name: unverified_alias, with them as the candidate", () => {
    const person = { email: 'ana@new.example', name: 'Ana Souza', otherEmails: ['bruno.lima@x.com'] };
    const result = expectNotMatched(matchOdooIdentity(person, dir));
    expect(result).toMatchObject({ status: 'ambiguous', code: 'unverified_alias', strategy: 'email' });
    expect(result.reason).toContain('bruno.lima@x.com');
    expect(result.reason).toContain('Bruno Lima');
    expect(result.suggestions[0]).toMatchObject({ odooUserId: 8, name: 'Bruno Lima' });
    // No name at all confirms nothing either.
    expect(matchOdooIdentity({ email: 'ana@new.example', name: null, otherEmails: ['bruno.lima@x.com'] }, dir)).toMatchObject({
      status: 'ambiguous',
      code: 'unverified_alias',
    });
    // And a name that only resembles it does not count.
    expect(matchOdooIdentity({ email: 'b@new.example', name: 'Bruna Lima', otherEmails: ['bruno.lima@x.com'] }, dir)).toMatchObject({
      code: 'unverified_alias',
    });
  });

  it("an alias of someone else next to the person's own e-mail: ambiguous, never a pick", () => {
    const result = matchOdooIdentity({ email: 'carla@x.com', name: 'Carla Dias', otherEmails: ['bruno.lima@x.com'] }, dir);
    expect(result).toMatchObject({ status: 'ambiguous', code: 'several_candidates' });
    // Their own e-mail alone links them: an alias is not needed to trust it.
    expect(matchOdooIdentity({ email: 'carla@x.com', name: 'Bruno Lima', otherEmails: ['carla@x.com'] }, dir)).toMatchObject({
      status: 'matched',
      odooUserId: 9,
    });
  });
});

describe('the employee number (Entra employeeId)', () => {
  const dir = directory(
    [user(7, 'Ana Souza', 'ana.souza@x.com'), user(8, 'Bruno Lima', 'bruno.lima@x.com')],
    [
      employee(70, 'Ana Souza', 'ana.souza@x.com', 7, { employeeNumber: ' E-0070 ' }),
      employee(80, 'Bruno Lima', 'bruno.lima@x.com', 8, { employeeNumber: 'E-0080' }),
      employee(90, 'Old Badge', null, null, { employeeNumber: 'E-0099', active: false }),
      employee(91, 'Twin One', null, null, { employeeNumber: 'E-0100' }),
      employee(92, 'Twin Two', null, null, { employeeNumber: 'E-0100' }),
    ],
  );

  it('links by the exact number when the e-mail finds nobody, with the user from the employee', () => {
    const person = { email: 'asouza@elsewhere.example', name: 'A. Souza', employeeNumber: 'E-0070' };
    const result = expectMatched(matchOdooIdentity(person, dir));
    expect(result).toMatchObject({ odooUserId: 7, employeeId: 70, strategy: 'employee_number' });
    expect(result.evidence).toMatchObject({ matchedOn: 'employee_number', value: 'E-0070', filledIn: ['odooUserId'] });
    expect(describeMatch(result, person)).toBe('Linked to Odoo by employee number (E-0070).');
    // Exact: another case or another number is not them.
    expect(matchOdooIdentity({ ...person, employeeNumber: 'e-0070' }, dir, { strategies: [matchByEmployeeNumber] })).toMatchObject({
      status: 'not_found',
      code: 'no_match',
      tried: ['employee_number'],
    });
    expect(expectNotMatched(matchOdooIdentity({ ...person, employeeNumber: 'E-7' }, dir)).reason).toContain('the employee number E-7');
  });

  it('comes after the e-mail, is skipped without a number, and never picks among two employees or an archived one', () => {
    expect(matchOdooIdentity({ email: 'bruno.lima@x.com', name: null, employeeNumber: 'E-0070' }, dir)).toMatchObject({ strategy: 'email', odooUserId: 8 });
    expect(expectNotMatched(matchOdooIdentity({ email: 'nobody@x.com', name: null }, dir)).tried).toEqual(['email']);
    expect(matchOdooIdentity({ email: null, name: null, employeeNumber: 'E-0100' }, dir)).toMatchObject({ status: 'ambiguous', code: 'several_candidates' });
    expect(matchOdooIdentity({ email: null, name: null, employeeNumber: 'E-0099' }, dir)).toMatchObject({ status: 'ambiguous', code: 'archived_only' });
    expect(DEFAULT_STRATEGIES.map((strategy) => strategy({ email: null, name: null }, prepareDirectory(dir)).strategy)).toEqual([
      'email',
      'employee_number',
      'name',
      'salesperson',
    ]);
  });
});

describe('the organisation address order', () => {
  const firstLast = [user(1, 'Ana Souza', 'ana.souza@x.com'), user(2, 'Jean Dupont', 'jean.dupont@x.com'), user(3, 'Admin', 'admin@x.com')];
  const lastFirst = [user(1, 'Ana Souza', 'souza.ana@x.com'), user(2, 'Jean Dupont', 'dupont.jean@x.com')];

  it('is learned from the mailboxes the directory knows; first-last when none tells', () => {
    expect([...prepareDirectory(directory(firstLast)).addressNameOrders]).toEqual(['first-last']);
    expect([...prepareDirectory(directory(lastFirst)).addressNameOrders]).toEqual(['last-first']);
    expect([...prepareDirectory(directory([...lastFirst, user(4, 'Mia Park', 'mia.park@x.com')])).addressNameOrders].sort()).toEqual([
      'first-last',
      'last-first',
    ]);
    expect([...prepareDirectory(directory([user(3, 'Admin', 'admin@x.com')])).addressNameOrders]).toEqual(['first-last']);
    // One odd address among many does not make an order the organisation's.
    const many = Array.from({ length: 12 }, (_, i) => user(10 + i, `Person${String.fromCharCode(97 + i)} Example`, `person${String.fromCharCode(97 + i)}.example@x.com`));
    expect([...prepareDirectory(directory([...many, user(50, 'Ana Souza', 'souza.ana@x.com')])).addressNameOrders]).toEqual(['first-last']);
  });

  it('decides whose address may vouch for a name Odoo has no mailbox for', () => {
    const ingrid = employee(90, 'Núñez, Ingrid', null, null);
    const person = (email: string) => ({ email, name: 'Ingrid Nunez' });
    const inFirstLast = directory(firstLast, [ingrid]);
    expect(matchOdooIdentity(person('ingrid.nunez@x.com'), inFirstLast)).toMatchObject({ status: 'matched', employeeId: 90, strategy: 'name' });
    // A namesake whose address is the name reversed: not how this organisation writes Ingrid Núñez's address.
    expect(matchOdooIdentity(person('nunez.ingrid@x.com'), inFirstLast)).toMatchObject({ status: 'ambiguous', code: 'unverified_name' });
    const inLastFirst = directory(lastFirst, [ingrid]);
    expect(matchOdooIdentity(person('nunez.ingrid@x.com'), inLastFirst)).toMatchObject({ status: 'matched', employeeId: 90 });
    expect(matchOdooIdentity(person('ingrid.nunez@x.com'), inLastFirst)).toMatchObject({ status: 'ambiguous', code: 'unverified_name' });
  });
});

describe('domain aliases', () => {
  it('make addresses in an alias domain match the canonical ones', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana.souza@x.com')]);
    const person = { email: 'Ana.Souza@X.eu', name: null };
    expect(matchOdooIdentity(person, dir)).toMatchObject({ status: 'not_found' });
    expect(matchOdooIdentity(person, dir, { domainAliases: { 'x.eu': 'x.com' } })).toMatchObject({
      status: 'matched',
      odooUserId: 7,
      strategy: 'email',
    });
    expect(canonicalEmail(prepareDirectory(dir, { domainAliases: { 'X.EU': 'x.com' } }), 'a+b@x.eu')).toBe('a@x.com');
    expect(() => prepareDirectory(dir, { domainAliases: { 'x.eu': '' } })).toThrow(TypeError);
    expect(() => prepareDirectory(dir, { domainAliases: { 'x.eu': 'X.EU' } })).toThrow(/another domain/);
    expect(() => prepareDirectory(dir, { domainAliases: { 'x.be': 'x.eu', 'x.eu': 'x.com' } })).toThrow(/map x\.be to x\.com/);
  });
});

describe('matchByEmail', () => {
  it('finds a user by login, case, spaces and +tag ignored on both sides', () => {
    const dir = directory([user(7, 'Ana Souza', ' Ana.Souza+odoo@X.com')]);
    const result = expectMatched(matchOdooIdentity({ email: 'ana.souza+crm@x.COM ', name: null }, dir));
    expect(result).toMatchObject({ odooUserId: 7, employeeId: null, strategy: 'email' });
    expect(result.evidence).toMatchObject({ matchedOn: 'email', value: 'ana.souza@x.com', archived: false });
    expect(result.evidence.records).toEqual([
      { source: 'user', odooId: 7, field: 'login', value: ' Ana.Souza+odoo@X.com', active: true },
    ]);
  });

  it('finds a user by its e-mail when the login is not an address', () => {
    const dir = directory([user(7, 'Ana Souza', 'asouza', { email: 'ana@x.com' })]);
    const result = expectMatched(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir));
    expect(result.odooUserId).toBe(7);
    expect(result.evidence.records[0]?.field).toBe('email');
  });

  it("fills in a matched user's employee when it has exactly one", () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com')], [employee(70, 'Ana Souza', null, 7)]);
    const result = expectMatched(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir));
    expect(result).toMatchObject({ odooUserId: 7, employeeId: 70 });
    expect(result.evidence.filledIn).toEqual(['employeeId']);
  });

  it('leaves the employee empty when the user has several (one per company)', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com')], [employee(70, 'Ana Souza', null, 7), employee(71, 'Ana Souza', null, 7)]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({ status: 'matched', odooUserId: 7, employeeId: null });
  });

  it("prefers a user's active employee over an archived one", () => {
    const dir = directory(
      [user(7, 'Ana Souza', 'ana@x.com')],
      [employee(70, 'Ana Souza', null, 7, { active: false }), employee(71, 'Ana Souza', null, 7)],
    );
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({ odooUserId: 7, employeeId: 71 });
  });

  it("finds an employee by work e-mail and fills in the user from its user_id", () => {
    const dir = directory([user(7, 'Ana Souza', 'asouza')], [employee(70, 'Ana Souza', 'ANA@x.com', 7)]);
    const result = expectMatched(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir));
    expect(result).toMatchObject({ odooUserId: 7, employeeId: 70, strategy: 'email' });
    expect(result.evidence.filledIn).toEqual(['odooUserId']);
  });

  it('links an employee without user to the employee alone', () => {
    const dir = directory([], [employee(70, 'Ana Souza', 'ana@x.com', null)]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({
      status: 'matched',
      odooUserId: null,
      employeeId: 70,
    });
  });

  it('links a user without employee to the user alone', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com')], [employee(80, 'Bruno Lima', 'bruno@x.com', null)]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({
      status: 'matched',
      odooUserId: 7,
      employeeId: null,
    });
  });

  it('takes a user and an unlinked employee sharing the mailbox as one person', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com')], [employee(70, 'Ana Souza', 'ana@x.com', null)]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({
      status: 'matched',
      odooUserId: 7,
      employeeId: 70,
    });
  });

  it("is ambiguous when the employee's user_id names another user than the one found directly", () => {
    const dir = directory(
      [user(7, 'Ana Souza', 'ana@x.com'), user(8, 'Ana Lima', 'alima@x.com')],
      [employee(80, 'Ana Lima', 'ana@x.com', 8)],
    );
    const result = expectNotMatched(matchOdooIdentity({ email: 'ana@x.com', name: 'Ana Souza' }, dir));
    expect(result).toMatchObject({ status: 'ambiguous', code: 'records_disagree', strategy: 'email', tried: ['email'] });
    expect(result.suggestions.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ odooUserId: 7, score: 1 }),
        expect.objectContaining({ odooUserId: 8, employeeId: 80, score: 1 }),
      ]),
    );
  });

  it("keeps Odoo's own link when an unlinked employee shares the user's mailbox", () => {
    const dir = directory(
      [user(7, 'Ana Souza', 'ana@x.com')],
      [employee(70, 'Ana Souza', null, 7), employee(71, 'Ana Souza', 'ana@x.com', null)],
    );
    const result = expectMatched(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir));
    expect(result).toMatchObject({ odooUserId: 7, employeeId: 70 });
    expect(result.evidence.records.map((hit) => hit.source)).toEqual(['user']);
  });

  it('links the user alone when its two employees (one per company) both have the address', () => {
    const dir = directory(
      [user(7, 'Ana Souza', 'ana@x.com')],
      [employee(70, 'Ana Souza', 'ana@x.com', 7), employee(71, 'Ana Souza', 'ana@x.com', 7)],
    );
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({ status: 'matched', odooUserId: 7, employeeId: null });
  });

  it('is ambiguous when two employees without user share the address', () => {
    const dir = directory([], [employee(70, 'Ana Souza', 'ana@x.com', null), employee(71, 'Bruno Lima', 'ana@x.com', null)]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({ status: 'ambiguous', code: 'several_candidates' });
  });

  it('is ambiguous when two users share the address, and tries nothing after', () => {
    const dir = directory([user(7, 'Ana Souza', 'sales@x.com'), user(8, 'Bruno Lima', 'bruno', { email: 'Sales@x.com' })]);
    const result = expectNotMatched(matchOdooIdentity({ email: 'sales@x.com', name: 'Ana Souza' }, dir));
    expect(result).toMatchObject({ status: 'ambiguous', code: 'several_candidates', tried: ['email'] });
    expect(result.suggestions.filter((suggestion) => suggestion.score === 1).map((s) => s.odooUserId).sort()).toEqual([7, 8]);
  });

  it('is skipped, and not listed as tried, when the person has no usable e-mail', () => {
    const outcome = matchByEmail({ email: 'not an address', name: 'Ana' }, prepareDirectory(directory()));
    expect(outcome).toMatchObject({ status: 'not_found', skipped: true });
    const result = matchOdooIdentity({ email: null, name: 'Zed Zed' }, directory([user(7, 'Ana Souza', 'ana@x.com')]));
    expect(result).toMatchObject({ status: 'not_found', tried: ['name', 'salesperson'] });
  });
});

describe('matchByName', () => {
  const dir = directory([user(7, 'Souza, Ána-Maria', 'asouza'), user(8, 'Bruno Lima', 'bruno')]);

  it.each([
    ['case', 'ANA-MARIA SOUZA'],
    ['spaces', '  Ana   Maria   Souza '],
    ['accents', 'Ána María Soúza'],
    ['punctuation', 'Ana.Maria Souza'],
    ['name order', 'Souza Ana Maria'],
    ['"Last, First"', 'Souza, Ana Maria'],
  ])('matches whatever the %s', (_what, name) => {
    const result = expectMatched(matchOdooIdentity({ email: null, name }, dir));
    expect(result).toMatchObject({ odooUserId: 7, strategy: 'name', evidence: { matchedOn: 'name', value: 'ana maria souza' } });
  });

  it('is not tried before the e-mail, which wins even when the name points elsewhere', () => {
    const both = directory([user(7, 'Ana Souza', 'ana@x.com'), user(8, 'Bruno Lima', 'bruno')]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: 'Bruno Lima' }, both)).toMatchObject({ strategy: 'email', odooUserId: 7 });
  });

  it('finds an employee without user, and a user with its employee', () => {
    const dir2 = directory([user(7, 'Ana Souza', 'asouza')], [employee(70, 'Ana Souza', null, 7), employee(90, 'Carla Dias', null, null)]);
    expect(matchOdooIdentity({ email: null, name: 'carla dias' }, dir2)).toMatchObject({ odooUserId: null, employeeId: 90 });
    expect(matchOdooIdentity({ email: null, name: 'ana souza' }, dir2)).toMatchObject({ odooUserId: 7, employeeId: 70 });
  });

  it('is ambiguous for homonyms: two users with the same normalised name', () => {
    const homonyms = directory([user(7, 'Ana Souza', 'asouza'), user(9, 'SOUZA, Ána', 'asouza2')]);
    const result = expectNotMatched(matchOdooIdentity({ email: null, name: 'Ana Souza' }, homonyms));
    expect(result).toMatchObject({ status: 'ambiguous', code: 'several_candidates', strategy: 'name' });
    expect(result.suggestions.map((s) => s.odooUserId)).toEqual([7, 9]);
  });

  it('is ambiguous when a salesperson of another user bears the name', () => {
    const dir2 = directory([user(7, 'Ana Souza', 'asouza')], [], [{ odooId: 12, name: 'Ana Souza' }]);
    expect(matchOdooIdentity({ email: null, name: 'Ana Souza' }, dir2)).toMatchObject({ status: 'ambiguous', code: 'several_candidates' });
  });

  it('is ambiguous when an employee of another user and a user share the name', () => {
    const dir2 = directory([user(7, 'Ana Souza', 'asouza'), user(8, 'A. Souza', 'as')], [employee(80, 'Ana Souza', null, 8)]);
    expect(matchOdooIdentity({ email: null, name: 'Ana Souza' }, dir2)).toMatchObject({ status: 'ambiguous', code: 'records_disagree' });
  });

  it('does not merge a user and an employee that share a name but are not linked in Odoo', () => {
    const dir2 = directory([user(7, 'Ana Souza', 'asouza')], [employee(70, 'Ana Souza', null, null)]);
    const result = expectNotMatched(matchOdooIdentity({ email: null, name: 'Ana Souza' }, dir2));
    expect(result).toMatchObject({ status: 'ambiguous', code: 'unlinked_records' });
    expect(result.suggestions).toEqual(
      expect.arrayContaining([expect.objectContaining({ odooUserId: 7 }), expect.objectContaining({ employeeId: 70 })]),
    );
  });

  it("takes an unlinked employee bearing the name as the user's when it shares the user's mailbox", () => {
    const withLinked = directory(
      [user(7, 'Ana Souza', 'ana@x.com')],
      [employee(70, 'Souza, Ana', null, 7), employee(71, 'Ana Souza', ' ANA@x.com', null)],
    );
    expect(matchOdooIdentity({ email: null, name: 'Ana Souza' }, withLinked)).toMatchObject({ status: 'matched', odooUserId: 7, employeeId: 70 });
    const alone = directory([user(7, 'Ana Souza', 'ana@x.com')], [employee(71, 'Ana Souza', 'ana@x.com', null)]);
    expect(matchOdooIdentity({ email: null, name: 'Ana Souza' }, alone)).toMatchObject({ status: 'matched', odooUserId: 7, employeeId: 71 });
  });

  it('refuses a namesake whose Odoo mailbox is not the person\'s, in any domain', () => {
    const dir2 = directory([user(7, 'Ana Souza', 'ana.souza@x.com')]);
    for (const email of ['asouza@x.com', 'ana.souza@newco.com']) {
      expect(matchOdooIdentity({ email, name: 'Ana Souza' }, dir2)).toMatchObject({ status: 'ambiguous', code: 'email_conflict' });
    }
  });

  it('takes someone without an Odoo mailbox only when the address is the organisation\'s and spells the name', () => {
    const dir2 = directory([user(1, 'Admin', 'admin@x.com')], [employee(90, 'Carla Dias', null, null)]);
    expect(matchOdooIdentity({ email: 'Carla.Dias@x.com', name: 'Dias, Carla' }, dir2)).toMatchObject({
      status: 'matched',
      employeeId: 90,
      strategy: 'name',
    });
    for (const email of ['carla.dias2@x.com', 'cdias@x.com', 'carla.dias@gmail.com']) {
      expect(matchOdooIdentity({ email, name: 'Carla Dias' }, dir2)).toMatchObject({ status: 'ambiguous', code: 'unverified_name' });
    }
  });

  it('leaves salesperson-only names to the salesperson strategy', () => {
    const outcome = matchByName({ email: null, name: 'Ana Souza' }, prepareDirectory(directory([], [], [{ odooId: 12, name: 'Ana Souza' }])));
    expect(outcome).toMatchObject({ status: 'not_found', skipped: false });
  });
});

describe('matchBySalesperson', () => {
  it('finds a user known only as a salesperson, with its employee', () => {
    const dir = directory(
      [],
      [employee(120, 'Ana Souza', null, 12)],
      [
        { odooId: 12, name: 'Ana Souza' },
        { odooId: 12, name: 'Ana Souza' },
      ],
    );
    // The employee bears the name too, so the name strategy finds it first, with the same user.
    expect(matchOdooIdentity({ email: null, name: 'souza, ana' }, dir)).toMatchObject({ odooUserId: 12, employeeId: 120 });
    const salesOnly = directory([user(1, 'Admin', 'admin@x.com')], [], [{ odooId: 12, name: 'Ana Souza' }]);
    const result = expectMatched(matchOdooIdentity({ email: 'ana.souza@x.com', name: 'ANA SOUZA' }, salesOnly));
    expect(result).toMatchObject({ odooUserId: 12, employeeId: null, strategy: 'salesperson' });
    expect(result.evidence.records).toEqual([{ source: 'salesperson', odooId: 12, field: 'name', value: 'Ana Souza', active: true }]);
  });

  it('is ambiguous for two salespersons with the same name', () => {
    const dir = directory([], [], [{ odooId: 12, name: 'Ana Souza' }, { odooId: 13, name: 'Souza, Ana' }]);
    expect(matchBySalesperson({ email: null, name: 'Ana Souza' }, prepareDirectory(dir))).toMatchObject({
      status: 'ambiguous',
      code: 'several_candidates',
    });
  });

  it('refuses a salesperson whose user has another mailbox in the same domain', () => {
    const dir = directory([user(12, 'Ana S.', 'ana.s@x.com')], [], [{ odooId: 12, name: 'Ana Souza' }]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: 'Ana Souza' }, dir)).toMatchObject({ status: 'ambiguous', code: 'email_conflict' });
  });
});

describe('archived records', () => {
  it('prefers an active record over an archived one', () => {
    const dir = directory([user(5, 'Ana Souza', 'old.ana', { active: false }), user(7, 'Ana Souza', 'ana')]);
    expect(matchOdooIdentity({ email: null, name: 'Ana Souza' }, dir)).toMatchObject({ status: 'matched', odooUserId: 7 });
  });

  it('links nobody to archived records only, offering them instead; links them with archived: fallback', () => {
    const dir = directory([user(5, 'Ana Souza', 'ana@x.com', { active: false })]);
    const person = { email: 'ana@x.com', name: null };
    const refused = expectNotMatched(matchOdooIdentity(person, dir));
    expect(refused).toMatchObject({ status: 'ambiguous', code: 'archived_only', strategy: 'email' });
    expect(refused.suggestions[0]).toMatchObject({ odooUserId: 5 });
    const result = expectMatched(matchOdooIdentity(person, dir, { archived: 'fallback' }));
    expect(result).toMatchObject({ odooUserId: 5, evidence: { archived: true } });
  });

  it("does not fill in a user's archived employee", () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com')], [employee(70, 'Ana Souza', null, 7, { active: false })]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({ odooUserId: 7, employeeId: null });
  });

  it("links an active employee to its user even when the user is archived", () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com', { active: false })], [employee(70, 'Ana Souza', 'ana@x.com', 7)]);
    expect(matchOdooIdentity({ email: 'ana@x.com', name: null }, dir)).toMatchObject({ status: 'matched', odooUserId: 7, employeeId: 70 });
  });
});

describe('strategies', () => {
  it('run in the order given, and a team can add its own', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com'), user(8, 'Bruno Lima', 'bruno')]);
    const byLogin: IdentityStrategy<'login'> = (person, prepared) => {
      const login = person.email?.split('@')[0] ?? null;
      if (login === null) return { strategy: 'login', status: 'not_found', skipped: true, reason: 'No e-mail.' };
      const hits = prepared.users
        .filter((candidate) => candidate.login === login)
        .map((candidate) => ({ source: 'user' as const, odooId: candidate.odooId, field: 'login' as const, value: login, active: true }));
      return resolveHits('login', person, prepared, hits, { matchedOn: 'email', value: login, pairUnlinked: false, verifyMailbox: false });
    };
    const person = { email: 'bruno@y.com', name: 'Ana Souza' };
    expect(matchOdooIdentity(person, dir)).toMatchObject({ status: 'ambiguous', code: 'email_conflict', strategy: 'name' });
    const result = matchOdooIdentity(person, dir, { strategies: [matchByEmail, byLogin, matchByName] });
    expect(result).toMatchObject({ strategy: 'login', odooUserId: 8 });
    const missed = matchOdooIdentity({ email: 'zed@y.com', name: 'Zed' }, dir, { strategies: [byLogin, ...DEFAULT_STRATEGIES] });
    expect(missed).toMatchObject({ status: 'not_found', code: 'no_match', tried: ['login', 'email', 'name', 'salesperson'] });
  });

  it('gives the same answer with a prepared directory', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana@x.com')], [employee(70, 'Ana Souza', null, 7)]);
    const person = { email: 'ANA@x.com', name: null };
    expect(matchOdooIdentity(person, prepareDirectory(dir))).toEqual(matchOdooIdentity(person, dir));
  });

  it('rejects invalid options with a TypeError', () => {
    const person = { email: null, name: 'x' };
    expect(() => matchOdooIdentity(person, directory(), { strategies: [] })).toThrow(TypeError);
    expect(() => matchOdooIdentity(person, directory(), { maxSuggestions: 6 })).toThrow(TypeError);
    expect(() => matchOdooIdentity(person, directory(), { minSuggestionScore: 2 })).toThrow(TypeError);
    expect(() => prepareDirectory(directory(), { archived: 'never' as 'suggest' })).toThrow(TypeError);
  });

  it('answers no_input for a person with neither e-mail nor name', () => {
    expect(matchOdooIdentity({ email: '  ', name: ' ' }, directory([user(7, 'Ana', 'ana@x.com')]))).toMatchObject({
      status: 'not_found',
      code: 'no_input',
      tried: [],
    });
  });
});

describe('suggestions', () => {
  it('ranks the closest people first and leaves unrelated ones out', () => {
    const dir = directory([
      user(1, 'Ana Souza', 'ana.souza@x.com'),
      user(2, 'Ana Sousa', 'ana.sousa@x.com'),
      user(3, 'Bruno Lima', 'bruno.lima@x.com'),
      user(4, 'Ana Maria Souza', 'am.souza@x.com'),
    ]);
    const result = expectNotMatched(matchOdooIdentity({ email: 'anna.souza@y.com', name: 'Anna Souza' }, dir));
    expect(result.status).toBe('not_found');
    const ids = result.suggestions.map((suggestion) => suggestion.odooUserId);
    expect(ids[0]).toBe(1);
    expect(ids).not.toContain(3);
    const scores = result.suggestions.map((suggestion) => suggestion.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns at most five, or fewer when asked', () => {
    const users = Array.from({ length: 8 }, (_, index) => user(index + 1, `Ana Souza${'a'.repeat(index)}`, `u${index}`));
    const dir = directory(users);
    const person = { email: null, name: 'Ana Souz' };
    expect(expectNotMatched(matchOdooIdentity(person, dir)).suggestions).toHaveLength(5);
    expect(expectNotMatched(matchOdooIdentity(person, dir, { maxSuggestions: 2 })).suggestions).toHaveLength(2);
    expect(expectNotMatched(matchOdooIdentity(person, dir, { maxSuggestions: 0 })).suggestions).toHaveLength(0);
  });

  it("shows a user with its employee once, and the e-mail's local part finds a name", () => {
    const dir = directory([user(7, 'Ana Souza', 'asouza')], [employee(70, 'Ana Souza', 'ana.souza@x.com', 7)]);
    const result = expectNotMatched(matchOdooIdentity({ email: 'ana.souza@y.com', name: null }, dir));
    expect(result.suggestions).toEqual([{ odooUserId: 7, employeeId: 70, name: 'Ana Souza', email: 'ana.souza@x.com', score: expect.any(Number) }]);
  });
});

describe('describeMatch', () => {
  it('says what was looked for, the closest person and what to do', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana.souza@x.com')]);
    const person = { email: 'ana@x.com', name: null };
    expect(describeMatch(matchOdooIdentity(person, dir), person)).toBe(
      'No Odoo user or employee has the e-mail ana@x.com. Closest: Ana Souza (ana.souza@x.com) — ask an admin to link you.',
    );
  });

  it('names both the e-mail and the name, and asks for an admin when nobody is close', () => {
    const person = { email: 'zed@x.com', name: 'Zed Zorro' };
    const text = describeMatch(matchOdooIdentity(person, directory([user(7, 'Ana Souza', 'ana.souza@x.com')])), person);
    expect(text).toBe('No Odoo user or employee has the e-mail zed@x.com or the name Zed Zorro. Ask an admin to link you.');
  });

  it('lists the candidates of an ambiguous match', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana.souza@x.com'), user(9, 'Ana Souza', 'ana.souza2@x.com')]);
    const person = { email: 'ana@y.com', name: ' Ana   Souza' };
    const text = describeMatch(matchOdooIdentity(person, dir), person);
    expect(text).toContain('2 different Odoo users have the name Ana Souza');
    expect(text).toContain('Candidates: Ana Souza (ana.souza@x.com) or Ana Souza (ana.souza2@x.com) — ask an admin to link you.');
  });

  it('is still exported under its former name, describeMatchFailure', () => {
    const dir = directory([user(7, 'Ana Souza', 'ana.souza@x.com')]);
    for (const person of [{ email: 'ana@x.com', name: null }, { email: 'ana.souza@x.com', name: 'Ana Souza' }]) {
      const result = matchOdooIdentity(person, dir);
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- this test checks the deprecated alias
      expect(describeMatchFailure(result, person)).toBe(describeMatch(result, person));
    }
  });
});
