// Generated from plugin.spec.yaml by `npm run generate`. Do not edit.

export const manifest = {
  "info": {
    "name": "ivanti_service_manager",
    "title": "Ivanti Service Manager",
    "description": "Ivanti Service Manager (ISM) is an IT service management platform for running the service desk: incidents, requests, changes and the people behind them. This plugin lets a workflow open, read, search, update and delete ISM incidents, add journal notes and evidence files to them, and start as soon as a new incident is logged, so that what an automated investigation finds reaches the service desk at once",
    "version": "2.0.0",
    "vendor": "community",
    "support": "community",
    "plugin_spec_version": "v2",
    "tags": [
      "ivanti",
      "itsm",
      "incident",
      "ticketing",
      "service desk"
    ],
    "sdk_version": "1.0.0"
  },
  "actions": [
    {
      "name": "create_incident",
      "title": "Create Incident",
      "description": "Create an incident in Ivanti Service Manager for a customer, optionally assigned to an analyst"
    },
    {
      "name": "create_service_request",
      "title": "Create Service Request",
      "description": "Create a service request in Ivanti Service Manager for a customer, from a service request template"
    },
    {
      "name": "update_incident",
      "title": "Update Incident",
      "description": "Change the status, assignee, customer, category, cause code or resolution of an existing incident"
    },
    {
      "name": "delete_incident",
      "title": "Delete Incident",
      "description": "Delete an incident and its journal notes"
    },
    {
      "name": "add_note",
      "title": "Add Note",
      "description": "Add a journal note to an incident"
    },
    {
      "name": "get_incident",
      "title": "Get Incident",
      "description": "Read an incident by its number"
    },
    {
      "name": "search_incidents",
      "title": "Search Incidents",
      "description": "Find incidents by keyword, status, customer, assignee and creation time, across as many pages as needed"
    },
    {
      "name": "add_attachment",
      "title": "Add Attachment",
      "description": "Attach a file, such as evidence from an investigation, to an incident"
    },
    {
      "name": "get_record",
      "title": "Get Record",
      "description": "Read one record of any business object, by its record ID or by the exact value of one of its fields"
    },
    {
      "name": "search_records",
      "title": "Search Records",
      "description": "Find the records of any business object whose fields have the values given, optionally by keyword and date range, across as many pages as needed"
    },
    {
      "name": "create_record",
      "title": "Create Record",
      "description": "Create a record of any business object from the fields given"
    },
    {
      "name": "update_record",
      "title": "Update Record",
      "description": "Change the fields given on a record of any business object"
    },
    {
      "name": "delete_record",
      "title": "Delete Record",
      "description": "Delete a record of any business object"
    },
    {
      "name": "link_records",
      "title": "Link Records",
      "description": "Relate two records through one of the first record's relationships, such as an incident and a configuration item"
    },
    {
      "name": "unlink_records",
      "title": "Unlink Records",
      "description": "Remove the relationship between two records"
    },
    {
      "name": "list_related",
      "title": "List Related",
      "description": "List the records related to a record through one of its relationships"
    },
    {
      "name": "run_quick_action",
      "title": "Run Quick Action",
      "description": "Run one of ISM's quick actions on a record, such as Close Incident, Resolve Incident or Clone Incident, with the values it prompts for"
    },
    {
      "name": "list_attachments",
      "title": "List Attachments",
      "description": "List the files attached to a record of any business object, with their names, sizes and creation times"
    },
    {
      "name": "download_attachment",
      "title": "Download Attachment",
      "description": "Download a file attached to a record, as base64, with its name and content type"
    },
    {
      "name": "delete_attachment",
      "title": "Delete Attachment",
      "description": "Delete a file attached to a record; an attachment ID that does not exist is an error, never a silent success"
    }
  ],
  "triggers": [
    {
      "name": "new_incident",
      "title": "New Incident",
      "description": "Fire for every incident created after the trigger started, in the order of their numbers as they become visible, never skipping one. Delivery is at least once: a restart after a crash between the delivery and the saving of the trigger's place sends that incident again, so a workflow that must act only once deduplicates on the incident's RecId"
    },
    {
      "name": "updated_incident",
      "title": "Updated Incident",
      "description": "Fire once for every change to an incident made after the trigger started, watching LastModDateTime in ascending order and re-reading an overlap window so that a change which becomes visible late is not missed. An incident changed twice fires twice. Delivery is at least once: a restart after a crash between the delivery and the saving of the trigger's place sends that change again, so a workflow that must act only once deduplicates on the incident's RecId together with its LastModDateTime"
    }
  ]
} as const;
