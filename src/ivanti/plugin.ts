/** The Ivanti Service Manager plugin definition (actions arrive in the following commits). */
import { fileURLToPath } from 'node:url';
import { manifest } from '../generated/manifest.js';
import * as validators from '../generated/validators/index.js';
import type { ActionTypes, Connection, TriggerTypes } from '../generated/types.js';
import { definePlugin, type PluginConnection } from '../runtime/plugin.js';
import { PluginError, Presets } from '../runtime/errors.js';

const notYet = { run: async (): Promise<never> => { throw new PluginError(Presets.UNKNOWN, { cause: 'This action is not available yet.' }); } };

export const plugin = definePlugin<Connection, PluginConnection, ActionTypes, TriggerTypes>({
  manifest,
  specFile: fileURLToPath(new URL('../../plugin.spec.yaml', import.meta.url)),
  validators,
  connect: () => ({ test: async () => ({ success: true }) }),
  actions: { create_incident: notYet, update_incident: notYet, delete_incident: notYet, add_note: notYet },
  triggers: {},
});
