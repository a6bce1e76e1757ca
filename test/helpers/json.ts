/**
 * A parsed JSON object that tests probe field by field (`r.json['result'].summary`):
 * asserting each field's value is the check, so a static type would add only casts.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: the one `any` of the tests
export type JsonObject = Record<string, any>;
