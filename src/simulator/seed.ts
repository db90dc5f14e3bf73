/**
 * The tenant the simulator starts with, unless told otherwise: about 25 employees chosen to
 * exercise the awkward cases of a real directory (apostrophes, shared name prefixes, an email that
 * is a prefix of another, two people with the same display name, non-ASCII names), ISM's demo
 * validation lists, a few teams, and incidents 10001-10007 in various states with notes; and
 * problems, changes, tasks, computers and indicators linked to them (seed-objects.ts).
 *
 * The same shape can be written to a JSON file, edited, and loaded back.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { DEFINITIONS } from './objects/catalogue.js';
import { SEED_LINKS, SEED_RECORDS } from './seed-objects.js';
import type { SeedAttachment, SeedData, SeedEmployee, SeedLink, SeedRecord, SeedValidationLists } from './types.js';

export const DEFAULT_VALIDATION_LISTS: SeedValidationLists = {
  incident: {
    Status: ['Logged', 'Active', 'Waiting for Customer', 'Waiting for 3rd Party', 'Waiting for Resolution', 'Resolved', 'Closed'],
    Impact: ['Low', 'Medium', 'High'],
    Urgency: ['Low', 'Medium', 'High'],
    TypeOfIncident: ['Request', 'Failure'],
    Source: [
      'AutoTicket', 'Chat', 'Email', 'Fax', 'FrontRange Voice', 'Instant Message', 'Network Monitor', 'Phone',
      'Self Service', 'Voice Mail', 'Walk-In',
    ],
    Category: [
      'Account Lockout', 'Access Request', 'Email', 'Hardware', 'How-To', 'Malware', 'Network', 'Password Reset',
      'Phishing', 'Printing', 'Security Incident', 'Service Desk', 'Software', 'Telephony',
    ],
    CauseCode: [
      'Configuration', 'Documentation Request', 'Hardware', 'Install Request', 'Installation', 'Linked Problem',
      'Other', 'Reference Request', 'Session Reset', 'Software', 'Training',
    ],
  },
  note: {
    Category: [
      'Called Customer', 'Customer Complaint', 'Customer Feedback', 'Customer Follow-up', 'Customer Notes',
      'E-mailed Customer', 'Left Voice Mail', 'Memo', 'Resolution Communication', 'Status Update',
    ],
    Source: ['E-mail', 'Other', 'Phone/Fax', 'Self Service', 'Voice Mail'],
  },
  // Problems, changes, tasks, computers and indicators: the lists their modules declare.
  ...Object.fromEntries(DEFINITIONS.map((d) => [d.seedKey, Object.fromEntries(Object.entries(d.lists).map(([f, v]) => [f, [...v]]))])),
};

function employee(
  RecId: string,
  LoginID: string,
  FirstName: string,
  LastName: string,
  PrimaryEmail: string,
  Phone: string,
  Title: string,
  Team: string | null,
  Department: string,
  Location: string,
  OrgUnit: string,
  IsVIP = false,
): SeedEmployee {
  return {
    RecId, LoginID, DisplayName: `${FirstName} ${LastName}`, FirstName, LastName, PrimaryEmail, Phone,
    Status: 'Active', Title, Team, Department, Location, OrgUnit, IsVIP,
  };
}

const BUILT_IN_SEED: SeedData = {
  tenantName: 'example-tenant.saasit.example',
  validationLists: DEFAULT_VALIDATION_LISTS,
  teams: [
    { Name: 'Service Desk', RecId: '0493D45AB8DB82AFE75385371A29D5E9', Email: 'servicedesk@example.com', Manager: 'mreed' },
    { Name: 'Security Operations', RecId: 'CBE92EFD97E34F2DE87C457DEB116D5C', Email: 'secops@example.com', Manager: 'kokafor' },
    { Name: 'Network Operations', RecId: '87A92AF8C710A2CE806A699CE2835F6D', Email: 'netops@example.com', Manager: 'srivera' },
    { Name: 'Desktop Support', RecId: '39DCDB212E995A8DB657071B760BD543', Email: 'desktop.support@example.com', Manager: 'hthompson' },
  ],
  employees: [
    // Analysts and team managers.
    employee('4C9965E6E2D3088A3ACB25F786D4E1F5', 'jdoe', 'John', 'Doe', 'john.doe@example.com', '+1 (415) 555 0101',
      'Service Desk Analyst', 'Service Desk', 'IT Service Management', 'San Francisco', 'Corporate IT Operations'),
    employee('A06007DCDDE482539DCA9241C16E7EAE', 'ppatel', 'Priya', 'Patel', 'priya.patel@example.com', '+1 (415) 555 0102',
      'Service Desk Analyst', 'Service Desk', 'IT Service Management', 'San Francisco', 'Corporate IT Operations'),
    employee('0D8F111A64535A3E8BF71786F4164403', 'mreed', 'Marcus', 'Reed', 'marcus.reed@example.com', '+1 (415) 555 0103',
      'Service Desk Manager', 'Service Desk', 'IT Service Management', 'San Francisco', 'Corporate IT Operations'),
    employee('63E66C879A5665AE729367815A0DE7D7', 'dwhitfield', 'Dana', 'Whitfield', 'dana.whitfield@example.com', '+1 (212) 555 0141',
      'Security Analyst', 'Security Operations', 'Information Security', 'New York', 'Corporate IT Operations'),
    employee('5656D8636820C26BF66D769F144D9BCC', 'kokafor', 'Kemi', 'Okafor', 'kemi.okafor@example.com', '+44 20 7946 0142',
      'Security Operations Manager', 'Security Operations', 'Information Security', 'London', 'Corporate IT Operations'),
    employee('DEAEAE840B1EA7D17483E3FE0C295B62', 'rnakamura', 'Ren', 'Nakamura', 'ren.nakamura@example.com', '+81 3 5555 0143',
      'Incident Responder', 'Security Operations', 'Information Security', 'Tokyo', 'Corporate IT Operations'),
    employee('AA8FE498A656056D616E7B0B92A428CB', 'jsmith', 'John', 'Smith', 'john.smith@example.com', '+44 20 7946 0011',
      'Network Engineer', 'Network Operations', 'IT Infrastructure', 'London', 'Corporate IT Operations'),
    employee('50E1226BAB1DF2E785E77E06B431F1B1', 'srivera', 'Sam', 'Rivera', 'sam.rivera@example.com', '+1 (212) 555 0150',
      'Network Operations Lead', 'Network Operations', 'IT Infrastructure', 'New York', 'Corporate IT Operations'),
    employee('FF6BD87EEE33F7D1D1756D9CD36A8241', 'hthompson', 'Hannah', 'Thompson', 'hannah.thompson@example.com', '+44 20 7946 0160',
      'Desktop Support Lead', 'Desktop Support', 'IT Service Management', 'London', 'Corporate IT Operations'),
    employee('F65DD95C11BC0ACD399D959E9DD9F664', 'lwilson', 'Liam', 'Wilson', 'liam.wilson@example.com', '+44 20 7946 0161',
      'Field Technician', 'Desktop Support', 'IT Service Management', 'London', 'Corporate IT Operations'),
    employee('755FDE39FC1DF4D2CC47D9A530CA2DC2', 'admin', 'ISM', 'Administrator', 'ism.admin@example.com', '+1 (415) 555 0100',
      'System Administrator', 'Service Desk', 'IT Service Management', 'San Francisco', 'Corporate IT Operations'),
    // Customers.
    employee('9C3DD5203AB14D857E11FCFB2A3FBDDA', 'user', 'Example', 'User', 'user@example.com', '+1 (415) 450 3428',
      'Consultant', null, 'Corporate Services and Training', 'San Francisco', 'Consulting Services'),
    employee('86BD40A252705E411E9D93FCB9C85637', 'soneill', 'Siobhan', "O'Neill", "siobhan.o'neill@example.com", '+353 1 555 0133',
      'Financial Analyst', null, 'Finance', 'Dublin', 'Finance'),
    employee('6B1052030BFEECC9197747561E816EC6', 'cobrien', 'Conor', "O'Brien", 'conor.obrien@example.com', '+353 1 555 0147',
      'Sales Manager', null, 'Sales', 'Dublin', 'Sales'),
    employee('8988DED50821191C2717E462637D9C65', 'jsmithson', 'John', 'Smithson', 'john.smithson@example.com', '+44 20 7946 0012',
      'Accountant', null, 'Finance', 'London', 'Finance'),
    employee('1E4E4BD3B27CCEBF07FDF4F56678E715', 'sjohnson', 'Scott', 'Johnson', 'scott.johnson@example.com', '+1 (212) 555 0170',
      'Marketing Lead', null, 'Marketing', 'New York', 'Marketing'),
    employee('BB305AFE13EA9EB560CA184630377E68', 'alex', 'Alex', 'Morgan', 'alex@example.com', '+1 (415) 555 0188',
      'Product Designer', null, 'Engineering', 'San Francisco', 'Engineering'),
    employee('E9F4CD56A2F0A93C638CE0D32694B7B1', 'akim', 'Alex', 'Kim', 'alex@example.co', '+1 (415) 555 0189',
      'Contractor', null, 'Engineering', 'San Francisco', 'Engineering'),
    employee('0524E7F6C8E628BAF2DDF2628B437362', 'ctaylor', 'Chris', 'Taylor', 'chris.taylor@example.com', '+1 (212) 555 0123',
      'Payroll Specialist', null, 'Finance', 'New York', 'Finance'),
    employee('81D4D49B3BB39464C7B0159046B2CDF8', 'ctaylor2', 'Chris', 'Taylor', 'christopher.taylor@example.com', '+44 20 7946 0044',
      'Software Engineer', null, 'Engineering', 'London', 'Engineering'),
    employee('8759FC1E6533926279CECCDF3F9D0797', 'jalvarez', 'José', 'Álvarez', 'jose.alvarez@example.com', '+34 91 555 0190',
      'Warehouse Supervisor', null, 'Operations', 'Madrid', 'Operations'),
    employee('61CF437B6F6FDAAC7617DC51C929C31E', 'zmuller', 'Zoë', 'Müller', 'zoe.mueller@example.com', '+44 20 7946 0191',
      'HR Business Partner', null, 'Human Resources', 'London', 'Human Resources'),
    employee('6FBF38FC0380A52E152E99FCDE7F46E5', 'fkhan', 'Fatima', 'Khan', 'fatima.khan@example.com', '+1 (212) 555 0192',
      'Legal Counsel', null, 'Legal', 'New York', 'Legal'),
    employee('517EABFBA1EBE0D1F1B45B2621BB051B', 'ebrown', 'Emily', 'Brown', 'emily.brown@example.com', '+1 (415) 555 0193',
      'Executive Assistant', null, 'Executive Office', 'San Francisco', 'Executive Office'),
    employee('1DF52023C8D59242F24CE9FB03E9EF94', 'gwashington', 'Grace', 'Washington', 'grace.washington@example.com', '+1 (415) 555 0194',
      'Chief Executive Officer', null, 'Executive Office', 'San Francisco', 'Executive Office', true),
    employee('909F15A3079EB0B18E552B5296CA1FB8', 'nlindqvist', 'Nora', 'Lindqvist', 'nora.lindqvist@example.com', '+353 1 555 0195',
      'Data Scientist', null, 'Engineering', 'Dublin', 'Engineering'),
  ],
  incidents: [
    {
      RecId: 'BC6E2562367D08417D67FAECB5841C25', IncidentNumber: 10001, Status: 'Logged',
      ProfileLink: '9C3DD5203AB14D857E11FCFB2A3FBDDA', Subject: 'Cannot connect to VPN from home',
      Symptom: 'The VPN client says "authentication failed" since this morning, from home and from the hotel Wi-Fi.',
      TypeOfIncident: 'Failure', Impact: 'Medium', Urgency: 'Medium', Source: 'Phone', Category: 'Network',
      CreatedBy: 'jdoe', CreatedDateTime: '2026-11-02T09:14:05+00:00', LastModBy: 'jdoe', LastModDateTime: '2026-11-02T09:14:05+00:00',
    },
    {
      RecId: '719F8BD5B1688AA0A9AF8F36F6A7E934', IncidentNumber: 10002, Status: 'Active',
      ProfileLink: '86BD40A252705E411E9D93FCB9C85637', Subject: 'Locked out of my account after the password change',
      Symptom: "I changed my password on Friday and now Windows says my account is locked.",
      TypeOfIncident: 'Request', Impact: 'Low', Urgency: 'High', Source: 'Self Service', Category: 'Account Lockout',
      Owner: 'jdoe', CreatedBy: 'soneill', CreatedDateTime: '2026-11-03T08:02:44+00:00', LastModBy: 'jdoe',
      LastModDateTime: '2026-11-03T08:20:10+00:00',
    },
    {
      RecId: '1D06FD699C46F90DC135D4F9D6DC8565', IncidentNumber: 10003, Status: 'Waiting for Customer',
      ProfileLink: '6B1052030BFEECC9197747561E816EC6', Subject: 'Outlook keeps asking for my password',
      Symptom: 'Every few minutes Outlook shows the password prompt again, on the laptop only.',
      TypeOfIncident: 'Failure', Impact: 'Low', Urgency: 'Medium', Source: 'Email', Category: 'Email',
      Owner: 'ppatel', CreatedBy: 'ppatel', CreatedDateTime: '2026-11-04T13:45:00+00:00', LastModBy: 'ppatel',
      LastModDateTime: '2026-11-05T10:00:00+00:00',
    },
    {
      RecId: 'E5EC61B5319817C314928FF27A1A585C', IncidentNumber: 10004, Status: 'Resolved',
      ProfileLink: '1E4E4BD3B27CCEBF07FDF4F56678E715', Subject: 'Printer on the 3rd floor jams on every job',
      Symptom: 'The big printer by the kitchen jams on every print job, double-sided or not.',
      TypeOfIncident: 'Failure', Impact: 'Medium', Urgency: 'Low', Source: 'Walk-In', Category: 'Printing',
      Owner: 'hthompson', CauseCode: 'Hardware', Resolution: 'Replaced the fuser unit; test pages print cleanly.',
      CreatedBy: 'hthompson', CreatedDateTime: '2026-11-05T11:30:00+00:00', LastModBy: 'hthompson',
      LastModDateTime: '2026-11-06T15:12:00+00:00', ResolvedBy: 'hthompson', ResolvedDateTime: '2026-11-06T15:12:00+00:00',
    },
    {
      RecId: '5BA403CEDFDCDAE67EA3FC85B0189071', IncidentNumber: 10005, Status: 'Closed',
      ProfileLink: '0524E7F6C8E628BAF2DDF2628B437362', Subject: 'How do I set up an email signature?',
      Symptom: 'I need the company signature with the new logo in Outlook and on my phone.',
      TypeOfIncident: 'Request', Impact: 'Low', Urgency: 'Low', Source: 'Chat', Category: 'How-To',
      Owner: 'ppatel', CauseCode: 'Training', Resolution: 'Sent knowledge article KB-1042 and walked the customer through it.',
      CreatedBy: 'ppatel', CreatedDateTime: '2026-11-06T09:00:00+00:00', LastModBy: 'ppatel',
      LastModDateTime: '2026-11-09T09:30:00+00:00', ResolvedBy: 'ppatel', ResolvedDateTime: '2026-11-06T09:25:00+00:00',
      ClosedBy: 'ppatel', ClosedDateTime: '2026-11-09T09:30:00+00:00',
    },
    {
      RecId: '65F494258B2AF338182C42C23E423708', IncidentNumber: 10006, Status: 'Active',
      ProfileLink: '1DF52023C8D59242F24CE9FB03E9EF94', Subject: 'Suspicious sign-in alerts on the executive mailbox',
      Symptom: 'Several "new sign-in from an unfamiliar location" alerts overnight; the customer was asleep.',
      TypeOfIncident: 'Failure', Impact: 'High', Urgency: 'High', Source: 'Email', Category: 'Security Incident',
      Owner: 'dwhitfield', CreatedBy: 'dwhitfield', CreatedDateTime: '2026-11-10T06:41:17+00:00', LastModBy: 'dwhitfield',
      LastModDateTime: '2026-11-10T07:05:00+00:00',
    },
    {
      RecId: 'BA916C3BA8EB100603B2B6F1004585AD', IncidentNumber: 10007, Status: 'Waiting for 3rd Party',
      ProfileLink: '8988DED50821191C2717E462637D9C65', Subject: 'Accounting software licence expired',
      Symptom: "The ledger application says the licence expired yesterday; month-end close is on Friday.",
      TypeOfIncident: 'Request', Impact: 'Medium', Urgency: 'High', Source: 'Email', Category: 'Software',
      Owner: 'jdoe', CreatedBy: 'jdoe', CreatedDateTime: '2026-11-12T14:00:00+00:00', LastModBy: 'jdoe',
      LastModDateTime: '2026-11-12T16:30:00+00:00',
    },
  ],
  notes: [
    {
      RecId: '6FE6714CDEC270F6B4C4DBF80CA36D9E', ParentLink_RecID: '719F8BD5B1688AA0A9AF8F36F6A7E934',
      Subject: 'Called the customer', NotesBody: 'Unlocked the account in AD and asked the customer to sign in again.',
      Category: 'Called Customer', Source: 'Phone/Fax', CreatedBy: 'jdoe', CreatedDateTime: '2026-11-03T08:20:10+00:00',
    },
    {
      RecId: '8848EBE6598FD43ECFBBC41060DF098E', ParentLink_RecID: 'E5EC61B5319817C314928FF27A1A585C',
      Subject: 'Fuser ordered', NotesBody: 'The fuser unit is worn; a replacement arrives tomorrow morning.',
      Category: 'Status Update', Source: 'Other', PublishToWeb: true, CreatedBy: 'hthompson',
      CreatedDateTime: '2026-11-05T16:00:00+00:00',
    },
    {
      RecId: 'EE890B7CE1890BCCBC0B2A21B588C234', ParentLink_RecID: '5BA403CEDFDCDAE67EA3FC85B0189071',
      Subject: 'Knowledge article sent', NotesBody: "Sent KB-1042 (Outlook and mobile signatures) to the customer's mailbox.",
      Category: 'Resolution Communication', Source: 'E-mail', CreatedBy: 'ppatel', CreatedDateTime: '2026-11-06T09:25:00+00:00',
    },
    {
      RecId: '203335072B41E422AFD2766B6113052F', ParentLink_RecID: '65F494258B2AF338182C42C23E423708',
      Subject: 'Containment', NotesBody: 'Revoked all sessions, reset the password and re-registered MFA with the customer.',
      Category: 'Memo', Source: 'Other', CreatedBy: 'dwhitfield', CreatedDateTime: '2026-11-10T07:00:00+00:00',
    },
    {
      RecId: '2A18C9252065235B5A180930B7AFCD03', ParentLink_RecID: '65F494258B2AF338182C42C23E423708',
      Subject: 'Update for the customer', NotesBody: 'We are investigating the sign-in alerts on your mailbox and will call you at 9:00.',
      Category: 'Status Update', Source: 'E-mail', PublishToWeb: true, CreatedBy: 'dwhitfield',
      CreatedDateTime: '2026-11-10T07:05:00+00:00',
    },
  ],
  records: SEED_RECORDS,
  links: SEED_LINKS,
  attachments: [
    {
      RecId: '6C1D4E8A2F3B4C5D9E0F1A2B3C4D5E6F', IncidentNumber: 10006, FileName: 'sign-in-log.csv', ContentType: 'text/csv',
      Content:
        'time,user,ip,country,result\r\n' +
        '2026-11-10T05:41:12Z,dwhitfield,203.0.113.7,NL,success\r\n' +
        '2026-11-10T05:43:55Z,dwhitfield,203.0.113.7,NL,mfa-denied\r\n' +
        '2026-11-10T05:44:30Z,dwhitfield,198.51.100.23,US,success\r\n',
      CreatedBy: 'dwhitfield', CreatedDateTime: '2026-11-10T07:10:00+00:00',
    },
  ],
};

/** A fresh copy of the built-in seed (callers may change it freely). */
export function builtInSeed(): SeedData {
  return structuredClone(BUILT_IN_SEED);
}

/** Writes a seed (the built-in one unless given) to a JSON file, for users who want to edit it. */
export async function writeSeedFile(path: string, seed: SeedData = builtInSeed()): Promise<void> {
  await writeFile(path, `${JSON.stringify(seed, null, 2)}\n`, 'utf8');
}

/** Reads a seed file written by writeSeedFile (or by hand) and checks its shape. */
export async function loadSeedFile(path: string): Promise<SeedData> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the seed file ${path}: ${(err as Error).message}`);
  }
  return normalizeSeed(parsed, path);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * Checks a seed's shape and fills what a hand-written seed may leave out: the validation lists
 * default to ISM's demo lists (list by list), teams and incidents and notes to none.
 */
export function normalizeSeed(value: unknown, source = 'seed'): SeedData {
  if (!isRecord(value)) throw new Error(`${source}: a seed must be a JSON object`);
  const { employees } = value;
  if (!Array.isArray(employees)) throw new Error(`${source}: "employees" must be an array`);
  const required = ['RecId', 'LoginID', 'DisplayName', 'PrimaryEmail'] as const;
  employees.forEach((e, i) => {
    if (!isRecord(e)) throw new Error(`${source}: employees[${i}] must be an object`);
    for (const field of required) {
      if (typeof e[field] !== 'string' || e[field] === '') {
        throw new Error(`${source}: employees[${i}].${field} must be a non-empty string`);
      }
    }
  });
  const lists = structuredClone(DEFAULT_VALIDATION_LISTS);
  const given = value.validationLists;
  if (given !== undefined) {
    if (!isRecord(given)) throw new Error(`${source}: "validationLists" must be an object`);
    for (const object of Object.keys(lists)) {
      const group = given[object];
      if (group === undefined) continue;
      if (!isRecord(group)) throw new Error(`${source}: validationLists.${object} must be an object`);
      const target = (lists as unknown as Record<string, Record<string, string[]>>)[object] as Record<string, string[]>;
      for (const [field, values] of Object.entries(group)) {
        if (!(field in target)) throw new Error(`${source}: validationLists.${object}.${field} is not a known list`);
        if (!isStringArray(values)) throw new Error(`${source}: validationLists.${object}.${field} must be a list of strings`);
        target[field] = values;
      }
    }
  }
  for (const key of ['teams', 'incidents', 'notes'] as const) {
    const list = value[key];
    if (list !== undefined && (!Array.isArray(list) || !list.every(isRecord))) {
      throw new Error(`${source}: "${key}" must be a list of objects`);
    }
  }
  const seed: SeedData = {
    validationLists: lists,
    employees: structuredClone(employees) as SeedEmployee[],
    teams: structuredClone((value.teams ?? []) as SeedData['teams']),
    incidents: structuredClone((value.incidents ?? []) as SeedData['incidents']),
    notes: structuredClone((value.notes ?? []) as SeedData['notes']),
    records: normalizeRecords(value.records, source),
    links: normalizeLinks(value.links, source),
    attachments: normalizeAttachments(value.attachments, source),
  };
  if (typeof value.tenantName === 'string') seed.tenantName = value.tenantName;
  return seed;
}

/** `records`: for each declared object's seed key (`problem`, ...), a list of objects. */
function normalizeRecords(value: unknown, source: string): Record<string, SeedRecord[]> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error(`${source}: "records" must be an object`);
  const keys = DEFINITIONS.map((d) => d.seedKey);
  for (const [key, list] of Object.entries(value)) {
    if (!keys.includes(key)) throw new Error(`${source}: records.${key} is not a known object (known: ${keys.join(', ')})`);
    if (!Array.isArray(list) || !list.every(isRecord)) throw new Error(`${source}: records.${key} must be a list of objects`);
  }
  return structuredClone(value) as Record<string, SeedRecord[]>;
}

/** `links`: a list of `{relationship, from, to}`, each a string. */
function normalizeLinks(value: unknown, source: string): SeedLink[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${source}: "links" must be a list`);
  value.forEach((link, i) => {
    if (!isRecord(link) || !['relationship', 'from', 'to'].every((k) => typeof link[k] === 'string' && link[k] !== '')) {
      throw new Error(`${source}: links[${i}] must be an object with the strings "relationship", "from" and "to"`);
    }
  });
  return structuredClone(value) as SeedLink[];
}

/** `attachments`: a list of `{IncidentNumber, FileName, Content or ContentBase64, ...}`. */
function normalizeAttachments(value: unknown, source: string): SeedAttachment[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${source}: "attachments" must be a list`);
  value.forEach((file, i) => {
    const ok =
      isRecord(file) &&
      typeof file.IncidentNumber === 'number' &&
      typeof file.FileName === 'string' &&
      file.FileName !== '' &&
      (typeof file.Content === 'string') !== (typeof file.ContentBase64 === 'string');
    if (!ok) throw new Error(`${source}: attachments[${i}] must be an object with IncidentNumber, FileName, and either Content or ContentBase64`);
  });
  return structuredClone(value) as SeedAttachment[];
}
