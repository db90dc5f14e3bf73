/**
 * The live connection the runtime caches: a client configured from the normalised
 * settings, and the connection test.
 */
import type { Connection } from '../generated/types.js';
import { PluginError, Presets } from '../runtime/errors.js';
import type { PluginConnection } from '../runtime/plugin.js';
import type { StepLogger } from '../runtime/step-log.js';
import { IsmClient } from './client.js';
import { DEFAULT_RETRY, resolveSettings, type RetryPolicy } from './connection.js';
import { collectionPath } from './odata.js';

export interface IsmConnectionOptions {
  /** Overrides parts of the retry policy (tests shorten the backoff; production keeps DEFAULT_RETRY). */
  retry?: Partial<RetryPolicy>;
}

export class IsmConnection implements PluginConnection {
  readonly client: IsmClient;

  constructor(connection: Connection, options: IsmConnectionOptions = {}) {
    this.client = new IsmClient(resolveSettings(connection, { ...DEFAULT_RETRY, ...options.retry }));
  }

  /** A cheap authenticated read: one employee's RecId. */
  async test(log: StepLogger, signal?: AbortSignal): Promise<Record<string, unknown>> {
    log.info(`Testing the connection to ${this.client.settings.baseUrl}.`);
    const client = signal ? this.client.forStep(signal) : this.client;
    const { body } = await client.get(collectionPath('employees', { select: ['RecId'], top: 1 }), log);
    // An empty body is a valid "no rows"; anything else must look like an OData collection.
    if (body !== undefined && (typeof body !== 'object' || body === null || !('value' in body))) {
      throw new PluginError(Presets.INVALID_JSON, {
        cause: `The connection URL answers, but not like the ISM REST API (no OData collection).`,
        assistance: 'Check the connection URL: it should be the tenant address, with /HEAT where the tenant uses it.',
      });
    }
    log.info('The connection works: ISM accepted the API key.');
    return { success: true };
  }

  close(): void {
    this.client.close();
  }
}
