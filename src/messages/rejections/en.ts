import type { MessageTexts } from "../types.js";
import { isNotFinite, type FieldIssue, type GivenValue, type ReferencedCollection, type RejectionMessages } from "../../core/rejectionReasons.js";

function given(got: GivenValue | undefined): string {
  if (got === undefined || got.type === "missing") return "nothing (the field is missing)";
  if (got.type === "null") return "null";
  if (got.type === "array") return "an array";
  if (got.type === "object") return "an object";
  if (got.type === "string") return got.text ?? '""';
  return `${got.type} ${got.text ?? ""}`;
}

function issueText(issue: FieldIssue): string {
  if (issue.values !== undefined) return `must be one of ${issue.values.join(", ")}, got ${given(issue.got)}`;
  if (isNotFinite(issue)) return `must be a finite number, got ${issue.got?.text ?? ""}`;
  if (issue.code === "invalid_type" && issue.expected !== undefined) return `expected ${issue.expected}, got ${given(issue.got)}`;
  return issue.message;
}

const RECORD_NAME: Readonly<Record<ReferencedCollection, readonly [string, string]>> = {
  partners: ["partner", "an id"],
  regions: ["region", "a code"],
  products: ["product", "a sku"],
};

/** The English text of every rejection reason: what is wrong, and what was expected. */
export const rejectionTextsEn: MessageTexts<RejectionMessages> = {
  not_json: (a) => `not valid JSON (${a.detail})`,
  too_long: (a) => `${a.unit} is longer than maxRecordBytes (${a.maxRecordBytes} bytes)`,
  invalid_text(a) {
    const where = a.byte !== undefined && a.at !== undefined ? `byte ${a.byte} at byte ${a.at} of the ${a.unit}` : `the ${a.unit}`;
    switch (a.advice) {
      case "check":
        return `not valid ${a.encoding} (${where}); check the encoding named in channel-conflict.yaml`;
      case "gb18030":
        return `not valid ${a.encoding} (${where}); if this file is GB18030, say so in channel-conflict.yaml (encoding: gb18030)`;
      case "name":
        return `not valid ${a.encoding} (${where}); name the file's encoding in channel-conflict.yaml (encoding: windows-1252, shift_jis, …)`;
      case "none":
        return `not valid ${a.encoding}`;
    }
  },
  csv_stray_quote: (a) => `CSV: cell ${a.cell} has a quote inside an unquoted value; expected the whole cell in quotes, with inner quotes doubled ("")`,
  csv_after_quote: (a) =>
    `CSV: cell ${a.cell} has ${a.what ?? "a non-ASCII character"} after its closing quote; expected ${a.delimiter} or the end of the line`,
  csv_unclosed_quote: (a) => `CSV: the quoted cell ${a.cell} opened on line ${a.openedOn} is never closed; expected a closing quote`,
  csv_cells: (a) => `CSV row has ${a.cells} cells; expected ${a.expected}, one per header column`,
  not_a_record: (a) => `expected a record (an object), got ${a.got}`,
  unreadable_cell: (a) =>
    `column "${a.column}": ${a.value} does not follow the ${a.kind === "time" ? "date format" : "number format"} "${a.format}" of ${a.field}`,
  unmapped_cell: (a) => `column "${a.column}": ${a.value} is not in the map of ${a.field} (${a.known}); add it, or a "*" entry for every other value`,
  unrepresentable_value: (a) =>
    a.problem === "time_range"
      ? `${a.column}: the time is beyond the dates JavaScript holds; expected at most 8.64e15 ms from 1970, got ${a.value} ms`
      : `${a.column}: the integer ${a.value} has no exact JSON number; expected at most 2^53 - 1 in magnitude, got ${a.value}`,
  invalid_fields: (a) => a.issues.map((issue) => `${issue.path}: ${issueText(issue)}`).join("; "),
  duplicate_id: (a) => `${a.field}: duplicate "${a.id}", first defined at ${a.first}`,
  duplicate_event: (a) => `id: duplicate event id "${a.id}"`,
  unknown_reference(a) {
    const [what, key] = RECORD_NAME[a.collection];
    return `${a.field}: unknown ${what} "${a.id}"; expected ${key} listed in ${a.collection}`;
  },
  unknown_ancestor: (a) =>
    `${a.field}: ancestor "${a.ancestor}" has an unknown parent "${a.parent}"; expected every ${a.collection === "regions" ? "ancestor" : "parent"} listed in ${a.collection}`,
  own_ancestor: (a) => `${a.field}: region "${a.id}" is its own ancestor (cycle through "${a.through}")`,
  parent_cycle: (a) =>
    a.collection === "regions"
      ? `${a.field}: ancestors form a cycle through "${a.through}"; expected a chain that ends at a root region`
      : `${a.field}: parents form a cycle through "${a.through}"; expected a chain that ends at a partner without parentId`,
  end_before_start: (a) => `${a.field}: is before ${a.start}; expected an end at or after the start`,
  out_of_order: (a) =>
    `occurredAt: ${a.at} is earlier than an event already read (${a.latest}); a stream must be in time order${a.stream ? " (or allow lateness: allowedLateness)" : ""}`,
  too_late: (a) => `occurredAt: ${a.at} is more than allowedLateness (${a.allowedLateness}) earlier than the latest event read (${a.latest})`,
};
