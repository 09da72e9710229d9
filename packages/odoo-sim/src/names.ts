/**
 * Word lists for the data generator: names with accents and apostrophes from many countries,
 * company names, job titles. Small on purpose, so homonyms happen.
 * @module
 */

/** Given names (some share a plain-ASCII form: Zoë/Zoé/Zoe, José/Jose). */
export const FIRST_NAMES: readonly string[] = [
  'José', 'Zoë', 'François', 'Ana', 'João', 'Chloé', 'Renée', 'Björn', 'Søren', 'Łukasz',
  'Agnieszka', 'Mária', 'Noémie', 'Ignacio', 'Begoña', 'Jürgen', 'Ömer', 'Çağla', 'Thanh', 'Marc',
  'Anne', 'Peter', 'Laura', 'Marie', 'Pierre', 'Jean-Luc', 'Ana María', 'María José', 'Élodie', 'Hélène',
  'Inês', 'Andrés', 'Sofía', 'Lucía', 'Mateo', 'Luca', 'Giulia', 'Sven', 'Ingrid', 'Olivia',
  'Liam', 'Emma', 'Noah', 'Mia', 'David', 'Sarah', 'Thomas', 'Julia', 'Mohammed', 'Fatima',
  'Aylin', 'Yusuf', 'Kenji', 'Mei', 'Priya', 'Arjun', 'Siobhán', 'Seán', 'Niamh', 'Zoé',
  'Joël', 'Anaïs', 'Jose', 'Zoe',
];

/** Family names. */
export const LAST_NAMES: readonly string[] = [
  'Müller', 'García', 'Núñez', "O'Brien", 'van der Berg', 'Dupont', 'Smith', 'Nguyễn', 'Kowalski', 'Schröder',
  'Ødegaard', 'Silva', 'Souza', 'Gonçalves', 'Peña', 'Muñoz', 'Fernández', 'López', 'Martínez', 'Dubois',
  'Lefèvre', 'Meyer', 'Schmidt', 'Weiß', 'Jansen', 'de Vries', 'Janssens', 'Peeters', 'Johnson', 'Brown',
  'Williams', 'Rossi', 'Bianchi', 'Ferrari', 'Andersen', 'Nielsen', 'Hansen', 'Larsen', 'Nowak', 'Wiśniewski',
  'Yılmaz', 'Öztürk', 'Tanaka', 'Sato', 'Wang', 'Li', 'Chen', 'Kim', 'Park', 'Patel',
  'Sharma', 'Murphy', 'Kelly', 'Byrne', 'Walsh', "D'Angelo", 'Le Goff', 'Åberg', 'Lindqvist', 'Mueller',
];

/** Well-known demo-like company names (a few are reused: duplicate companies happen). */
export const COMPANY_NAMES: readonly string[] = [
  'Azure Interior', 'Deco Addict', 'Gemini Furniture', 'Lumber Inc', 'Ready Mat', 'Wood Corner',
  'The Jackson Group', 'Acme Corporation', 'Brasserie Müller', 'Café Zoë', 'Ñandú Logística',
  'Société Générale de Bois', 'Øresund Design', 'Straße & Co', 'Čokoláda s.r.o.', 'Łódź Meble',
];

/** Legal-form suffixes for generated company names. */
export const COMPANY_SUFFIXES: readonly string[] = [
  'GmbH', 'SA', 'SRL', 'NV', 'BV', 'Ltd', 'Inc.', '& Söhne', '& Fils', 'Consulting', 'Group', 'Lda',
  'S.L.', 'Sp. z o.o.', 'A/S', 'AG', 'SAS', 'LLC',
];

/** Job positions. */
export const JOB_TITLES: readonly string[] = [
  'Sales Manager', 'Account Executive', 'Chief Executive Officer', 'Chief Technical Officer', 'Consultant',
  'Developer', 'Marketing Manager', 'Purchase Manager', 'Accountant', 'Office Manager', 'Team Leader',
  'Experienced Developer', 'Human Resources Manager', 'Trainee', 'Directeur commercial', 'Vertriebsleiter',
];

/** Opportunity subjects. */
export const DEAL_SUBJECTS: readonly string[] = [
  'Office Design Project', 'Quote for 12 Tables', 'Distributor Contract', 'Modern Open Space', 'Furnitures',
  'Need 20 Desks', 'Custom Desks (Customized)', 'Open Space Design', 'Info about services', 'Renovation',
  'Chaises de bureau', 'Büromöbel Angebot', 'Proyecto de oficina', 'Pedido de cadeiras', 'Access Controls',
];

/** Countries: [name, code, phone prefix, top-level domain, VAT prefix, VAT digits]. */
export const COUNTRIES: readonly (readonly [string, string, string, string, string, number])[] = [
  ['Belgium', 'BE', '+32', 'be', 'BE0', 9],
  ['France', 'FR', '+33', 'fr', 'FR', 11],
  ['Germany', 'DE', '+49', 'de', 'DE', 9],
  ['Spain', 'ES', '+34', 'es', 'ESB', 8],
  ['Portugal', 'PT', '+351', 'pt', 'PT', 9],
  ['Netherlands', 'NL', '+31', 'nl', 'NL', 12],
  ['United States', 'US', '+1', 'com', '', 0],
  ['Brazil', 'BR', '+55', 'com.br', '', 0],
  ['Switzerland', 'CH', '+41', 'ch', 'CHE', 9],
  ['Denmark', 'DK', '+45', 'dk', 'DK', 8],
  ['Poland', 'PL', '+48', 'pl', 'PL', 10],
  ['Vietnam', 'VN', '+84', 'vn', '', 0],
  ['Ireland', 'IE', '+353', 'ie', 'IE', 8],
  ['Norway', 'NO', '+47', 'no', 'NO', 9],
];

/** Cities per country code. */
export const CITIES: Readonly<Record<string, readonly string[]>> = {
  BE: ['Bruxelles', 'Liège', 'Gent', 'Antwerpen', 'Namur', 'Louvain-la-Neuve'],
  FR: ['Paris', 'Lyon', 'Besançon', 'Orléans', 'Nîmes'],
  DE: ['München', 'Köln', 'Düsseldorf', 'Berlin', 'Fürth'],
  ES: ['Madrid', 'A Coruña', 'Cádiz', 'Málaga', 'Barcelona'],
  PT: ['Lisboa', 'Porto', 'Évora'],
  NL: ['Amsterdam', "'s-Hertogenbosch", 'Utrecht'],
  US: ['San Francisco', 'New York', 'Fremont', 'Austin'],
  BR: ['São Paulo', 'Florianópolis', 'Belém'],
  CH: ['Zürich', 'Genève', 'Neuchâtel'],
  DK: ['København', 'Århus', 'Odense'],
  PL: ['Kraków', 'Łódź', 'Gdańsk', 'Poznań'],
  VN: ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng'],
  IE: ['Dublin', 'Cork', 'Galway'],
  NO: ['Oslo', 'Tromsø', 'Bergen'],
};

const FOLD: Record<string, string> = { ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', đ: 'd', Đ: 'D', ı: 'i' };

/** Strips accents and folds letters without a decomposition (`ø` → `o`, `ß` → `ss`): what a keyboard without accents makes of a name. */
export function asciiFold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[øØłŁßæÆœŒđĐı]/g, (ch) => FOLD[ch] ?? ch);
}

/** A lowercase e-mail local part / domain label from a name: `José María` → `jose.maria`. */
export function slug(text: string, separator = '.'): string {
  return asciiFold(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^\\${separator}+|\\${separator}+$`, 'g'), '');
}
