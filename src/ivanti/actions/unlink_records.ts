/** Unlink Records: remove the relationship between two records (ISM's `$Ref`, deleted). */
import type { UnlinkRecordsInput, UnlinkRecordsOutput } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { IsmConnection } from '../ism-connection.js';
import { setLink } from '../relationship-links.js';

export const unlinkRecords: ActionHandler<UnlinkRecordsInput, UnlinkRecordsOutput, IsmConnection> = {
  run: (input, { connection, log, signal }) => setLink(connection.client.forStep(signal), input, false, log),
};
