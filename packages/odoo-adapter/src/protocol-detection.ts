/**
 * Which transport a client uses: the one its `protocol` option names, or, with `auto`, JSON-2
 * when the server is Odoo 19 or later, has the JSON-2 endpoint and an API key is given, else
 * XML-RPC.
 * @module
 */
import type { Logger } from '@odoo-sync/core';
import { isOdooSyncError, OdooTransportError, summarizeError } from '@odoo-sync/core/errors';
import { Json2Transport } from './json2-transport.js';
import type { OdooProtocol, OdooVersion, RequestContext, Transport, TransportConfig } from './transport.js';

/** The transport picked, and what picking it already learnt. */
export interface Resolved {
  transport: Transport;
  /** Known when detection already authenticated (the JSON-2 probe); used by the first connection only. */
  uid: number | undefined;
  version: OdooVersion | undefined;
}

/** What {@link detectTransport} needs from its client. */
export interface DetectionContext {
  config: TransportConfig;
  protocol: 'auto' | OdooProtocol;
  hasApiKey: boolean;
  logger: Logger;
  /** Runs one JSON-2 probe request with the client's retries of transient failures. */
  retrying<T>(what: { model?: string; method: string }, attempt: (ctx: RequestContext) => Promise<T>): Promise<T>;
}

/** Picks the transport (see the module); probes the server only with `protocol: 'auto'`. */
export async function detectTransport(ctx: DetectionContext): Promise<Resolved> {
  const { config, protocol, logger } = ctx;
  // Loaded only when chosen: a client on JSON-2 never pays for the XML-RPC libraries in memory.
  const xmlrpc = async (version?: OdooVersion): Promise<Resolved> => {
    const { XmlRpcTransport } = await import('./xmlrpc-transport.js');
    return { transport: new XmlRpcTransport(config), uid: undefined, version };
  };
  if (protocol === 'xmlrpc') return xmlrpc();
  const json2 = new Json2Transport(config);
  if (protocol === 'json2') return { transport: json2, uid: undefined, version: undefined };
  if (!ctx.hasApiKey) {
    logger.info({ protocol: 'xmlrpc' }, 'odoo protocol chosen: no API key, so XML-RPC');
    return xmlrpc();
  }

  let version: OdooVersion;
  try {
    version = await ctx.retrying({ method: 'version' }, (request) => json2.version(request));
  } catch (error) {
    // No /web/version as JSON (an older Odoo, or a proxy page): JSON-2 is not there either.
    if (isOdooSyncError(error) && !error.retryable) {
      logger.info({ protocol: 'xmlrpc', err: summarizeError(error) }, 'odoo protocol chosen: /web/version did not answer JSON');
      return xmlrpc();
    }
    throw error;
  }
  if (version.major !== null && version.major < 19) {
    logger.info({ protocol: 'xmlrpc', version: version.version }, 'odoo protocol chosen: server older than 19');
    return xmlrpc(version);
  }
  try {
    const uid = await ctx.retrying({ model: 'res.users', method: 'context_get' }, (request) => json2.authenticate(request));
    logger.info({ protocol: 'json2', version: version.version }, 'odoo protocol chosen: JSON-2');
    return { transport: json2, uid, version };
  } catch (error) {
    if (error instanceof OdooTransportError && !error.retryable && error.status === 404) {
      logger.info({ protocol: 'xmlrpc', version: version.version }, 'odoo protocol chosen: no JSON-2 endpoint');
      return xmlrpc(version);
    }
    // JSON-2 answered (e.g. 401 for a bad key): it is there, and the failure is real.
    throw error;
  }
}
