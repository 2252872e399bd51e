// A rejected record says why as data: a code and its arguments (JSON-safe, so a program reads them and
// `Rejection.code`/`args` carry them), rendered in each language by one module (`en.ts`, `zh-CN.ts`).

/** What a value given for a field was, as a message says it (`got`). */
export type GivenValue = {
  /** `missing` when the field is absent; else the value's JSON type, `array` and `null` told apart. */
  readonly type: "missing" | "null" | "array" | "object" | "string" | "number" | "boolean" | "bigint" | "symbol" | "function" | "undefined";
  /** The value as text: a string quoted (cut to 40 characters), a number or boolean as it is; absent for objects and arrays. */
  readonly text?: string;
};

/** One problem of a record's fields, as the schema found it (zod's issue, kept as data). */
export type FieldIssue = {
  /** The field, as `shipTo.region` or `skus[2]`; `(record)` for the record itself. */
  readonly path: string;
  /** zod's issue code (`invalid_type`, `invalid_value`, `too_small`, `too_big`, `invalid_format`, `custom`, …). */
  readonly code: string;
  /** What it must be: `invalid_type`'s type (`string`, `number`, …). */
  readonly expected?: string;
  /** The values it may take (`invalid_value`, a union of events by `type`), as JSON. */
  readonly values?: readonly string[];
  readonly got?: GivenValue;
  /** `too_small`/`too_big`: the bound, whether it is allowed, and of what (`number`, `string`, `array`). */
  readonly minimum?: number;
  readonly maximum?: number;
  readonly inclusive?: boolean;
  readonly origin?: string;
  /** `invalid_format` of a pattern: the pattern. */
  readonly pattern?: string;
  /** The schema's own reason of a `custom` issue (`iso_time`, `invalid_date`), when it gives one. */
  readonly reason?: string;
  /** The schema's English message, said where no other text fits. */
  readonly message: string;
};

/** The collections a reference can point into, and what each names its records by. */
export type ReferencedCollection = "partners" | "regions" | "products";

/** Every reason a record is rejected for, by code, with its arguments. */
export interface RejectionMessages {
  /** A line that is not JSON (`detail`: the parser's own words). */
  not_json: { readonly detail: string };
  /** A line or CSV record over `maxRecordBytes`. */
  too_long: { readonly unit: "line" | "record"; readonly maxRecordBytes: number };
  /**
   * Bytes not valid in the file's encoding (`encoding`: its label): at which byte (`byte` as `0xFF`, `at`
   * counted from 1) when known, and the advice: `gb18030` (the bytes read as GB18030: say so in the
   * manifest), `name` (name the file's encoding), `check` (check the encoding the manifest names), `none`.
   */
  invalid_text: {
    readonly encoding: string;
    readonly unit: "line" | "record";
    readonly byte?: string;
    readonly at?: number;
    readonly advice: "gb18030" | "name" | "check" | "none";
  };
  /** A CSV cell with a quote inside an unquoted value. */
  csv_stray_quote: { readonly cell: number };
  /** A CSV cell with something after its closing quote (`what`: the character as JSON, or absent for a non-ASCII one). */
  csv_after_quote: { readonly cell: number; readonly what?: string; readonly delimiter: string };
  /** A quoted CSV cell never closed. */
  csv_unclosed_quote: { readonly cell: number; readonly openedOn: number };
  /** A CSV row with another number of cells than the header. */
  csv_cells: { readonly cells: number; readonly expected: number };
  /** A record that is not an object (`got`: `an array`, `null`, `string`, …). */
  not_a_record: { readonly got: string };
  /** A cell that does not follow the date or number format the manifest gives its field. */
  unreadable_cell: { readonly column: string; readonly value: string; readonly kind: "time" | "number"; readonly format: string; readonly field: string };
  /** A cell whose value the field's map (manifest `map`) does not have. */
  unmapped_cell: { readonly column: string; readonly value: string; readonly field: string; readonly known: string };
  /** A Parquet value JSON cannot hold: a time beyond JavaScript's dates, an integer beyond 2^53 − 1. */
  unrepresentable_value: { readonly column: string; readonly problem: "time_range" | "integer_range"; readonly value: string };
  /** Fields the schema refuses, one issue each. */
  invalid_fields: { readonly issues: readonly FieldIssue[] };
  /** A reference record whose id an earlier one has (`first`: where that one is). */
  duplicate_id: { readonly field: string; readonly id: string; readonly first: string };
  /** An event whose id an earlier event has. */
  duplicate_event: { readonly id: string };
  /** A reference to a record its collection does not list. */
  unknown_reference: { readonly field: string; readonly collection: ReferencedCollection; readonly id: string };
  /** An ancestor (of a region or partner) whose parent its collection does not list. */
  unknown_ancestor: { readonly field: string; readonly collection: "regions" | "partners"; readonly ancestor: string; readonly parent: string };
  /** A region that is its own ancestor. */
  own_ancestor: { readonly field: string; readonly id: string; readonly through: string };
  /** Parents that form a cycle above the record. */
  parent_cycle: { readonly field: string; readonly collection: "regions" | "partners"; readonly through: string };
  /** An end before its start (`validTo` before `validFrom`, `expiresAt` before `registeredAt`). */
  end_before_start: { readonly field: string; readonly start: string };
  /** An event earlier than one read before it, in a stream or a scan that needs time order (`stream`: say how to allow lateness). */
  out_of_order: { readonly at: string; readonly latest: string; readonly stream: boolean };
  /** An event later than `allowedLateness` allows. */
  too_late: { readonly at: string; readonly latest: string; readonly allowedLateness: string };
}

/** A code of `RejectionMessages`. */
export type RejectionCode = keyof RejectionMessages & string;

/** Why a record is rejected: a code and its arguments. */
export type RejectionReason = { [Code in RejectionCode]: { readonly code: Code; readonly args: RejectionMessages[Code] } }[RejectionCode];

/** A reason of `code` with `args`, typed by the code. */
export function reason<Code extends RejectionCode>(code: Code, args: RejectionMessages[Code]): RejectionReason {
  return { code, args } as RejectionReason;
}

/** A number field given `Infinity` or `NaN`: zod says "invalid type", a person reads "not a finite number". */
export function isNotFinite(issue: FieldIssue): boolean {
  return issue.code === "invalid_type" && issue.got?.type === "number" && !Number.isFinite(Number(issue.got.text));
}

/** Whether a reader's answer is a rejection reason rather than the record it read (records never carry `args`). */
export function isRejectionReason(value: object): value is RejectionReason {
  return "code" in value && "args" in value;
}
