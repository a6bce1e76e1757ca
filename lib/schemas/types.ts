/** The subset of an ajv error object the validator uses. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A compiled validator as produced by ajv (compiled or standalone). */
export interface RawValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
