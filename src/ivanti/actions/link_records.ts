/** Link Records: relate two records through one of the object's relationships (ISM's `$Ref`). */
import type { LinkRecordsInput, LinkRecordsOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { IsmConnection } from '../ism-connection.js';
import { setLink } from '../relationship-links.js';

export const linkRecords: ActionHandler<LinkRecordsInput, LinkRecordsOutput, IsmConnection> = {
  run: (input, { connection, log, signal }) => setLink(connection.client.forStep(signal), input, true, log),
};
