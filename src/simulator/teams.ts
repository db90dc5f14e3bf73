/** The teams that can own records; an employee's `Team` names one. */

import { validRecId } from './record-ids.js';
import type { SeedTeam } from './types.js';

export interface TeamInfo {
  Name: string;
  RecId: string;
  Email: string | null;
  /** LoginID of the team's manager. */
  Manager: string | null;
}

export class Teams {
  private readonly byName = new Map<string, TeamInfo>();

  add(team: SeedTeam): void {
    this.byName.set(team.Name.toLowerCase(), {
      Name: team.Name,
      RecId: team.RecId?.toUpperCase() ?? validRecId('Team', team.Name),
      Email: team.Email ?? null,
      Manager: team.Manager ?? null,
    });
  }

  /** The team of that name (any case). */
  get(name: string): TeamInfo | undefined {
    return this.byName.get(name.toLowerCase());
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }
}
