/**
 * JSON values, as settings, metadata and alert details hold them.
 * @module
 */
/** A JSON value (what settings, metadata and alert details may hold). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
