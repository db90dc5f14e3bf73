/** The Ivanti Service Manager plugin: its spec-generated parts and its handlers. */
import { manifest } from '../generated/manifest.js';
import type { ActionTypes, Connection, TriggerTypes } from '../generated/types.js';
import * as validators from '../generated/validators/index.js';
import { definePlugin, findSpecFile } from '../runtime/plugin.js';
import { addAttachment } from './actions/add_attachment.js';
import { addNote } from './actions/add_note.js';
import { createIncident } from './actions/create_incident.js';
import { createServiceRequest } from './actions/create_service_request.js';
import { createRecord } from './actions/create_record.js';
import { deleteAttachment } from './actions/delete_attachment.js';
import { deleteIncident } from './actions/delete_incident.js';
import { deleteRecord } from './actions/delete_record.js';
import { downloadAttachment } from './actions/download_attachment.js';
import { getIncident } from './actions/get_incident.js';
import { getRecord } from './actions/get_record.js';
import { linkRecords } from './actions/link_records.js';
import { listAttachments } from './actions/list_attachments.js';
import { listRelated } from './actions/list_related.js';
import { runQuickAction } from './actions/run_quick_action.js';
import { searchIncidents } from './actions/search_incidents.js';
import { searchRecords } from './actions/search_records.js';
import { unlinkRecords } from './actions/unlink_records.js';
import { updateIncident } from './actions/update_incident.js';
import { updateRecord } from './actions/update_record.js';
import { normaliseBaseUrl } from './connection.js';
import { IsmConnection, type IsmConnectionOptions } from './ism-connection.js';
import { newIncident } from './triggers/new_incident.js';
import { updatedIncident } from './triggers/updated_incident.js';

/**
 * The plugin with its connection options: the command line uses the defaults; tests pass a
 * shorter retry backoff so that retried requests do not slow the suite down.
 */
export function createIvantiPlugin(options: IsmConnectionOptions = {}) {
  return definePlugin<Connection, IsmConnection, ActionTypes, TriggerTypes>({
    manifest,
    specFile: findSpecFile(import.meta.url),
    validators,
    connect: (connection) => new IsmConnection(connection, options),
    connectionTarget: (connection) => normaliseBaseUrl(connection.url),
    actions: {
      create_incident: createIncident,
      create_service_request: createServiceRequest,
      update_incident: updateIncident,
      delete_incident: deleteIncident,
      add_note: addNote,
      get_incident: getIncident,
      search_incidents: searchIncidents,
      add_attachment: addAttachment,
      get_record: getRecord,
      search_records: searchRecords,
      create_record: createRecord,
      update_record: updateRecord,
      delete_record: deleteRecord,
      link_records: linkRecords,
      unlink_records: unlinkRecords,
      list_related: listRelated,
      run_quick_action: runQuickAction,
      list_attachments: listAttachments,
      download_attachment: downloadAttachment,
      delete_attachment: deleteAttachment,
    },
    triggers: { new_incident: newIncident, updated_incident: updatedIncident },
  });
}

export const plugin = createIvantiPlugin();
