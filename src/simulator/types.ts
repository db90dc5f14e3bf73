/** Data shapes shared by the simulator's modules and its public API. */

export type Scalar = string | number | boolean | null;

/** One stored business object record: field name to value, every known field present. */
export type FieldMap = Record<string, Scalar>;

/** An employee as a seed lists it. Further fields may be added and are served as they are. */
export interface SeedEmployee {
  RecId: string;
  LoginID: string;
  DisplayName: string;
  FirstName: string;
  LastName: string;
  PrimaryEmail: string;
  Phone?: string | null;
  Status?: string;
  Title?: string | null;
  Team?: string | null;
  Department?: string | null;
  Location?: string | null;
  OrgUnit?: string | null;
  IsVIP?: boolean;
  [field: string]: Scalar | undefined;
}

/** A team that can own incidents (an employee's `Team` names one). */
export interface SeedTeam {
  Name: string;
  RecId?: string;
  Email?: string | null;
  /** LoginID of the team's manager; gives incidents their `TeamManagerEmail`. */
  Manager?: string | null;
}

/**
 * An incident as a seed lists it: the fields a client would send, plus optionally the system
 * fields a live record has (RecId, IncidentNumber, CreatedDateTime, CreatedBy, ...). The
 * simulator derives everything else exactly as it does on create.
 */
export type SeedIncident = Record<string, Scalar>;

/** A journal note as a seed lists it; `ParentLink_RecID` or `IncidentNumber` names its incident. */
export type SeedNote = Record<string, Scalar>;

/** Validation lists of the tenant; field names as ISM spells them. */
export interface SeedValidationLists {
  incident: {
    Status: string[];
    Impact: string[];
    Urgency: string[];
    TypeOfIncident: string[];
    Source: string[];
    Category: string[];
    CauseCode: string[];
  };
  note: {
    Category: string[];
    Source: string[];
  };
  /** The lists of the other business objects, by the object's seed key (`problem`): field to values. */
  problem?: Record<string, string[]>;
  change?: Record<string, string[]>;
  task?: Record<string, string[]>;
  computer?: Record<string, string[]>;
  indicator?: Record<string, string[]>;
  servicereqtemplate?: Record<string, string[]>;
  servicereqtemplateparam?: Record<string, string[]>;
  servicereq?: Record<string, string[]>;
}

/**
 * A record of another business object as a seed lists it: the fields a client would send, plus
 * optionally its system fields (RecId, its number, CreatedDateTime, ...).
 */
export type SeedRecord = Record<string, Scalar>;

/** A link of a many-to-many relationship: the relationship's name (from either side) and the two RecIds. */
export interface SeedLink {
  relationship: string;
  from: string;
  to: string;
}

/** A file attached to a seeded incident: its text (UTF-8) or its bytes in base64. */
export interface SeedAttachment {
  RecId?: string;
  IncidentNumber: number;
  FileName: string;
  ContentType?: string;
  Content?: string;
  ContentBase64?: string;
  CreatedBy?: string;
  CreatedDateTime?: string;
}

/** Everything a tenant starts with. Plain JSON: it can be written to and read from a file. */
export interface SeedData {
  /** Shown in HTML error pages and used for nothing else. */
  tenantName?: string;
  validationLists: SeedValidationLists;
  teams?: SeedTeam[];
  employees: SeedEmployee[];
  incidents?: SeedIncident[];
  notes?: SeedNote[];
  /** Records of the other business objects, by seed key (`problem`, `change`, `task`, `computer`, `indicator`, `servicereqtemplate`, `servicereqtemplateparam`, `servicereq`). */
  records?: Record<string, SeedRecord[]>;
  links?: SeedLink[];
  attachments?: SeedAttachment[];
}
