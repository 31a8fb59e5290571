/** Raised for bad TL input: malformed bytes on read, a wrong object on write. */
export class TlError extends Error {
  override name = 'TlError';
  /** Byte offset in the input where reading failed (reads only). */
  readonly offset: number | undefined;
  /** On write errors: the field, as `constructor.field` once the writer knows the constructor. */
  field?: string;
  constructor(message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at offset ${offset})`);
    this.offset = offset;
  }
}

/** Raised for a malformed schema text, with its 1-based line and column. */
export class TlSchemaError extends Error {
  override name = 'TlSchemaError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly file?: string,
  ) {
    super(`${file ? file + ':' : ''}${line}:${column}: ${message}`);
  }
}
