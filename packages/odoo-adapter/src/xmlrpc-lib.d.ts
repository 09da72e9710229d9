// The xmlrpc package's serializer and deserializer are used directly (without its http client) so
// requests go through fetch with timeouts, abort signals and keep-alive. @types/xmlrpc only
// describes the package root, so these two internal modules are typed here.

declare module 'xmlrpc/lib/serializer.js' {
  /** Builds the XML of a method call (with the `<?xml ...?>` declaration). */
  export function serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
}

declare module 'xmlrpc/lib/deserializer.js' {
  import type { Readable } from 'node:stream';

  /** A fault as the deserializer reports it. */
  interface XmlRpcFaultError extends Error {
    faultCode?: unknown;
    faultString?: unknown;
  }

  /** Streaming SAX-based XML-RPC deserializer. One instance per message. */
  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(stream: Readable, callback: (error: XmlRpcFaultError | Error | null | undefined, result?: unknown) => void): void;
  }
  export = Deserializer;
}
