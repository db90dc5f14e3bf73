/**
 * The built-in tenant's problems, changes, assignment tasks, computers and indicators (the custom
 * object), and the links between them and the seeded incidents: two incidents traced to
 * problems, each problem fixed by a change, the CIs each of them touches, and the indicators of
 * compromise seen in the phishing incident. Incident 10002 and problem 5003 have no links.
 * The service catalogue holds a handful of request templates, one of them retired.
 */

import type { SeedLink, SeedRecord } from './types.js';

const INCIDENT_10001 = 'BC6E2562367D08417D67FAECB5841C25';
const INCIDENT_10006 = '65F494258B2AF338182C42C23E423708';

const PROBLEM_5001 = 'DB6C5EF674754DF7047054037533958A';
const PROBLEM_5002 = 'DC6B8B076758094D1D3B3B861C8DCE95';
const CHANGE_7001 = '93FE593C9CA650D690C5D2AD8B300D30';
const CHANGE_7002 = '78BC214DBD83F4D23BDF806A0D8E9F0A';
const LAPTOP_USER = '9EFDD86E4BBC00B07B639F52737B8BBF';
const LAPTOP_CEO = '3942451151B780825522A159198BB02F';
const VPN_GATEWAY = 'B60F4F42E41AB90A1107BFEA94D3FF67';
const IP_INDICATOR = '134D3835C0AC44E60E7271A862A9D8C8';
const DOMAIN_INDICATOR = '357C2969288D70C4865660B3121DB0AA';

const stamps = (created: string, by: string): SeedRecord => ({ CreatedBy: by, CreatedDateTime: created, LastModBy: by, LastModDateTime: created });

const SOFTWARE_INSTALLATION = 'F7E685E27FD6253BFCE6346F3E344327';
const VPN_ACCESS_REQUEST = 'FFFCD32C03621784D1BAF5DF0ED907AC';

/** A question of a service request template. */
const param = (RecId: string, template: string, Name: string, DisplayName: string, DisplayType: string, required: boolean, SortOrder: number): SeedRecord => ({
  RecId, ParentLink_RecID: template, ParentLink_Category: 'ServiceReqTemplate', Name, DisplayName, DisplayType,
  RequiredExpression: required ? '$(true)' : '$(false)', SortOrder, ...stamps('2026-10-01T09:00:00+00:00', 'admin'),
});

export const SEED_RECORDS: Record<string, SeedRecord[]> = {
  problem: [
    {
      RecId: PROBLEM_5001, ProblemNumber: 5001, Status: 'Investigation', Category: 'Network', Source: 'Incident',
      Subject: 'Recurring VPN authentication failures after the certificate rollover',
      Description: 'Since the gateway certificate was renewed, clients with the old chain fail to authenticate, from any network.',
      Impact: 'Medium', Urgency: 'Medium', Owner: 'srivera', ...stamps('2026-11-02T11:00:00+00:00', 'srivera'),
    },
    {
      RecId: PROBLEM_5002, ProblemNumber: 5002, Status: 'Known Error', Category: 'Security', Source: 'Incident',
      Subject: "Credential phishing campaign against executives' mailboxes",
      Description: 'Look-alike sign-in pages harvest passwords; the attackers then sign in from hosting providers overnight.',
      Workaround: 'Block the look-alike domains at the mail gateway and revoke the sessions of anyone who entered a password.',
      Impact: 'High', Urgency: 'High', Owner: 'kokafor', ...stamps('2026-11-10T08:00:00+00:00', 'kokafor'),
    },
    {
      RecId: '5B9D52CBD2E2BCDE3192CD8993138B4D', ProblemNumber: 5003, Status: 'Logged', Category: 'Email', Source: 'Proactive',
      Subject: 'Outlook asks again and again for the password on laptops',
      Description: 'Several laptops show the Outlook password prompt every few minutes; desktops are not affected.',
      Owner: 'ppatel', ...stamps('2026-11-05T10:30:00+00:00', 'ppatel'),
    },
  ],
  change: [
    {
      RecId: CHANGE_7001, ChangeNumber: 7001, Status: 'Scheduled', TypeOfChange: 'Normal', Risk: 'Medium', Category: 'Network',
      Subject: 'Roll out VPN client 5.2 with the new certificate chain',
      Description: 'Push client 5.2, which trusts the renewed gateway certificate chain, to every managed laptop.',
      Reason: 'Fixes problem 5001.', BackoutPlan: 'Re-deploy client 5.1 and the old chain from the software centre.',
      ScheduledStartDateTime: '2026-11-20T22:00:00+00:00', ScheduledEndDateTime: '2026-11-21T02:00:00+00:00',
      Owner: 'srivera', ...stamps('2026-11-03T09:00:00+00:00', 'srivera'),
    },
    {
      RecId: CHANGE_7002, ChangeNumber: 7002, Status: 'Approved', TypeOfChange: 'Emergency', Risk: 'High', Category: 'Security',
      Subject: 'Enforce phishing-resistant MFA for executive mailboxes',
      Description: 'Require FIDO2 security keys for the executive mailboxes and block legacy authentication.',
      Reason: 'Contains problem 5002.', Impact: 'High', Urgency: 'High',
      Owner: 'kokafor', ...stamps('2026-11-10T09:30:00+00:00', 'kokafor'),
    },
  ],
  computer: [
    {
      RecId: LAPTOP_USER, Name: 'LT-SF-0042', Status: 'Production', Manufacturer: 'Dell', Model: 'Latitude 7440',
      SerialNumber: 'DL7440-5KX92', AssetTag: 'A-004211', IPAddress: '10.20.4.42', MACAddress: '3C:52:82:1A:4F:42',
      OperatingSystem: 'Windows 11 Enterprise', Location: 'San Francisco', Owner: 'user', ...stamps('2025-09-01T12:00:00+00:00', 'admin'),
    },
    {
      RecId: LAPTOP_CEO, Name: 'LT-SF-0007', Status: 'Production', Manufacturer: 'Apple', Model: 'MacBook Pro 14',
      SerialNumber: 'C02ZK1QXMD6T', AssetTag: 'A-000007', IPAddress: '10.20.1.7', MACAddress: 'F4:D4:88:61:0A:07',
      OperatingSystem: 'macOS 15', Location: 'San Francisco', Owner: 'gwashington', ...stamps('2025-09-01T12:00:00+00:00', 'admin'),
    },
    {
      RecId: VPN_GATEWAY, Name: 'VPN-GW-01', Status: 'Production', Manufacturer: 'Palo Alto Networks', Model: 'PA-3410',
      SerialNumber: 'PA3410-0192-77', AssetTag: 'N-000101', IPAddress: '192.0.2.10', OperatingSystem: 'PAN-OS 11.1',
      Location: 'San Francisco', Owner: 'srivera', Description: 'Remote access gateway for every office.', ...stamps('2025-03-14T12:00:00+00:00', 'admin'),
    },
    {
      RecId: 'D7A1C35E0B2F4E8A9C6D1F0E3B5A7C92', Name: 'LT-DUB-0133', Status: 'Production', Manufacturer: 'Lenovo', Model: 'ThinkPad T14',
      SerialNumber: 'PF3XR8LM', AssetTag: 'A-013301', IPAddress: '10.60.1.133', OperatingSystem: 'Windows 11 Enterprise',
      Location: 'Dublin', Owner: 'soneill', ...stamps('2025-11-12T12:00:00+00:00', 'admin'),
    },
    {
      RecId: 'C9E3EE315AD94A21C498EB768881E5A6', Name: 'LT-LON-0117', Status: 'In Repair', Manufacturer: 'Lenovo', Model: 'ThinkPad X1 Carbon',
      SerialNumber: 'PF4KQ2ZB', AssetTag: 'A-011702', IPAddress: '10.40.2.117', OperatingSystem: 'Windows 11 Enterprise',
      Location: 'London', Owner: 'jsmithson', ...stamps('2025-10-20T12:00:00+00:00', 'admin'),
    },
    {
      RecId: '250CEDEDE61770154439810CF09578AF', Name: 'WS-NY-0210', Status: 'Retired', Manufacturer: 'HP', Model: 'EliteDesk 800 G6',
      SerialNumber: 'MXL1234ABC', AssetTag: 'A-002100', OperatingSystem: 'Windows 10 Enterprise', Location: 'New York',
      ...stamps('2021-05-04T12:00:00+00:00', 'admin'),
    },
  ],
  indicator: [
    {
      RecId: IP_INDICATOR, IndicatorValue: '203.0.113.45', IndicatorType: 'IP Address', Confidence: 'High', Status: 'Active',
      Source: 'Sign-in logs', Description: 'Source of the unfamiliar sign-ins to the executive mailbox.', Hits: 14, IsBlocked: true,
      FirstSeenDateTime: '2026-11-10T02:13:40+00:00', LastSeenDateTime: '2026-11-10T05:58:02+00:00', ...stamps('2026-11-10T06:50:00+00:00', 'dwhitfield'),
    },
    {
      RecId: DOMAIN_INDICATOR, IndicatorValue: 'login-microsoftonline.example.net', IndicatorType: 'Domain', Confidence: 'High',
      Status: 'Active', Source: 'Mail gateway', Description: 'Look-alike sign-in page linked from the phishing mail.', Hits: 3, IsBlocked: true,
      FirstSeenDateTime: '2026-11-09T17:20:00+00:00', LastSeenDateTime: '2026-11-09T17:45:00+00:00', ...stamps('2026-11-10T06:55:00+00:00', 'dwhitfield'),
    },
    {
      RecId: '73003BC44A9A5E11190C9E389DE749F4', IndicatorValue: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      IndicatorType: 'File Hash', Confidence: 'Medium', Status: 'Expired', Source: 'Endpoint protection',
      Description: 'Dropper seen in an earlier campaign.', Hits: 1, ...stamps('2026-06-01T10:00:00+00:00', 'rnakamura'),
    },
  ],
  task: [
    {
      RecId: '63211AC0B584B7037329BFA67CD8F57B', AssignmentID: 30001, ParentLink_RecID: INCIDENT_10006, ParentLink_Category: 'Incident',
      Subject: 'Collect the sign-in logs of the executive mailbox', Details: 'Export the last 30 days of sign-ins for the investigation.',
      Status: 'In Progress', Priority: '1', Owner: 'rnakamura', ...stamps('2026-11-10T07:10:00+00:00', 'dwhitfield'),
    },
    {
      RecId: '1D3AE36990FB71DC47A2275DDB42BC29', AssignmentID: 30002, ParentLink_RecID: CHANGE_7001, ParentLink_Category: 'Change',
      Subject: 'Test VPN client 5.2 on the pilot group', Details: 'Install on ten pilot laptops and confirm they connect from home.',
      Status: 'Assigned', Priority: '2', Owner: 'lwilson', ...stamps('2026-11-03T10:00:00+00:00', 'srivera'),
    },
    {
      RecId: '0EF60AE3990E6CCC133EE568B2501005', AssignmentID: 30003, ParentLink_RecID: PROBLEM_5002, ParentLink_Category: 'Problem',
      Subject: 'Write the post-incident review', Status: 'Logged', Priority: '3', Owner: 'dwhitfield',
      ...stamps('2026-11-10T09:00:00+00:00', 'kokafor'),
    },
  ],
  servicereqtemplate: [
    { RecId: '8E8D911923BE5D7846668CF90C1EC979', Name: 'Request New Laptop', Category: 'Hardware', Status: 'Published (Automatic)', Description: 'A standard laptop for a new starter or to replace a broken one.', ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
    { RecId: 'ED859823E2B1402A139625BAB91A5B91', Name: 'Reset Password', Category: 'Access', Status: 'Published (Automatic)', Description: 'A new temporary password for an account the customer is locked out of.', ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
    { RecId: VPN_ACCESS_REQUEST, Name: 'VPN Access Request', Category: 'Network', Status: 'Published (Manual)', Description: 'Remote access to the corporate network through the VPN gateway.', ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
    { RecId: SOFTWARE_INSTALLATION, Name: 'Software Installation', Category: 'Software', Status: 'Published (Automatic)', Description: 'Installation of an approved application from the software catalogue.', ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
    { RecId: '03E98BD64C1BEB72C77EC90A631CC6DF', Name: 'New Employee Onboarding', Category: 'Human Resources', Status: 'Published (Manual)', Description: 'Accounts, equipment and access for someone joining the company.', ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
    { RecId: '14604D4AEF89B1981DC11D5F6E147D07', Name: 'Report a Lost or Stolen Device', Category: 'Security', Status: 'Published (Automatic)', Description: 'Lock, wipe and replace a laptop or phone that was lost or stolen.', ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
    { RecId: '8BB9C3BF3E5DC01BE0D1F6C0A55C7ED5', Name: 'Grant Access to a Shared Mailbox', Category: 'Access', Status: 'Published (Automatic)', Description: "Membership of a team's shared mailbox.", ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
    { RecId: '35045DBFFD98A68E71A5A17A15FE2439', Name: 'Request a Pager', Category: 'Hardware', Status: 'Retired', Description: 'Pagers are no longer issued.', ...stamps('2026-10-01T09:00:00+00:00', 'admin') },
  ],
  servicereqtemplateparam: [
    // Software Installation: what to install, on which computer (a drop-down of CIs), and why.
    param('5C2E8B41D7A94F03B6E1C9D2A4F87B10', SOFTWARE_INSTALLATION, 'SoftwareName', 'Software to install', 'text', true, 1),
    { ...param('6D3F9C52E8B14A14C7F2DAE3B5098C21', SOFTWARE_INSTALLATION, 'TargetComputer', 'Computer to install it on', 'dropdown', true, 2), ValidationObject: 'CI#Computer', ValidationField: 'Name' },
    param('7E40AD63F9C25B25D803EBF4C61A9D32', SOFTWARE_INSTALLATION, 'Justification', 'Why it is needed', 'text', false, 3),
    // Licensed software needs a cost centre: required only when the software is Adobe Photoshop.
    { ...param('A173D0962CF58E58AB361E27F94DC065', SOFTWARE_INSTALLATION, 'CostCentre', 'Cost centre for the licence', 'text', false, 4), RequiredExpression: "$(SoftwareName == 'Adobe Photoshop')" },
    // VPN Access Request: the reason, and the approving manager (a drop-down of employees).
    param('8F51BE740AD36C36E914FC05D72BAE43', VPN_ACCESS_REQUEST, 'Reason', 'Reason for remote access', 'text', true, 1),
    { ...param('9062CF851BE47D47FA250D16E83CBF54', VPN_ACCESS_REQUEST, 'ApprovingManager', 'Approving manager', 'dropdown', false, 2), ValidationObject: 'Employee', ValidationField: 'LoginID' },
  ],
};

export const SEED_LINKS: SeedLink[] = [
  { relationship: 'IncidentAssociatesProblem', from: INCIDENT_10001, to: PROBLEM_5001 },
  { relationship: 'IncidentAssociatesProblem', from: INCIDENT_10006, to: PROBLEM_5002 },
  { relationship: 'IncidentAssociatesCI', from: INCIDENT_10001, to: LAPTOP_USER },
  { relationship: 'IncidentAssociatesCI', from: INCIDENT_10006, to: LAPTOP_CEO },
  { relationship: 'ProblemAssociatesChange', from: PROBLEM_5001, to: CHANGE_7001 },
  { relationship: 'ProblemAssociatesChange', from: PROBLEM_5002, to: CHANGE_7002 },
  { relationship: 'ProblemAssociatesCI', from: PROBLEM_5001, to: VPN_GATEWAY },
  { relationship: 'ProblemAssociatesCI', from: PROBLEM_5002, to: LAPTOP_CEO },
  { relationship: 'ChangeAssociatesCI', from: CHANGE_7001, to: VPN_GATEWAY },
  { relationship: 'IncidentAssociatesIndicator', from: INCIDENT_10006, to: IP_INDICATOR },
  { relationship: 'IncidentAssociatesIndicator', from: INCIDENT_10006, to: DOMAIN_INDICATOR },
];
