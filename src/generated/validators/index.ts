// Generated from plugin.spec.yaml by `npm run generate`. Do not edit.
import type { StepValidatorModule, ConnectionValidatorModule } from '../../runtime/validate.js';

export const connection = (): Promise<ConnectionValidatorModule> => import('./connection.js');

export const actions: Record<string, () => Promise<StepValidatorModule>> = {
  create_incident: () => import('./actions/create_incident.js'),
  create_service_request: () => import('./actions/create_service_request.js'),
  update_incident: () => import('./actions/update_incident.js'),
  delete_incident: () => import('./actions/delete_incident.js'),
  add_note: () => import('./actions/add_note.js'),
  get_incident: () => import('./actions/get_incident.js'),
  search_incidents: () => import('./actions/search_incidents.js'),
  add_attachment: () => import('./actions/add_attachment.js'),
  get_record: () => import('./actions/get_record.js'),
  search_records: () => import('./actions/search_records.js'),
  create_record: () => import('./actions/create_record.js'),
  update_record: () => import('./actions/update_record.js'),
  delete_record: () => import('./actions/delete_record.js'),
  link_records: () => import('./actions/link_records.js'),
  unlink_records: () => import('./actions/unlink_records.js'),
  list_related: () => import('./actions/list_related.js'),
  run_quick_action: () => import('./actions/run_quick_action.js'),
  list_attachments: () => import('./actions/list_attachments.js'),
  download_attachment: () => import('./actions/download_attachment.js'),
  delete_attachment: () => import('./actions/delete_attachment.js'),
};

export const triggers: Record<string, () => Promise<StepValidatorModule>> = {
  new_incident: () => import('./triggers/new_incident.js'),
  updated_incident: () => import('./triggers/updated_incident.js'),
};
