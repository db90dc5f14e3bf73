/**
 * Attachments as a business object (`attachments`): the rows the attachment store keeps, one per
 * file, read through OData like any record (`attachments?$filter=ParentLink_RecID eq '...'`,
 * `attachments('{RecId}')`) and listed under their record through `IncidentContainsAttachment`.
 * Files come and go only through `api/rest/Attachment` (attachment-endpoint.ts): the collection
 * is read-only (405 for a write), and its relationship neither links nor unlinks a file.
 */

import { ATTACHMENT_FIELDS } from '../attachments.js';
import { badRequest, MESSAGES } from '../errors.js';
import type { ChildObject } from '../relationships.js';
import { FieldCatalogue, type ObjectSchema } from '../schema.js';
import type { StoredRow, Table } from '../table.js';

export class AttachmentObject implements ChildObject {
  readonly schema: ObjectSchema = new FieldCatalogue(
    { set: 'attachments', typeName: 'Attachment', roleObject: 'Attachment#', recordObject: 'attachment' },
    ATTACHMENT_FIELDS,
    ['ATTACHNAME'],
  );
  readonly writable = false;

  constructor(readonly table: Table) {}

  create(): StoredRow {
    throw badRequest(MESSAGES.attachmentThroughApi);
  }

  update(): void {
    throw badRequest(MESSAGES.attachmentThroughApi);
  }

  checkDelete(): void {}

  childrenOf(parentRecId: string): StoredRow[] {
    return [...(this.table.lookup('ParentLink_RecID', parentRecId) ?? [])].sort((a, b) => a.seq - b.seq);
  }

  setParent(): void {
    throw badRequest(MESSAGES.attachmentThroughApi);
  }
}
