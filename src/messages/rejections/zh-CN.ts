import type { MessageTexts } from "../types.js";
import { isNotFinite, type FieldIssue, type GivenValue, type ReferencedCollection, type RejectionMessages } from "../../core/rejectionReasons.js";

// Written for the person who fixes the export (often the channel manager's data colleague): what is wrong
// with the record, and what to change. Field names, codes and file names stay as they are in the data.

const TYPE_ZH: Readonly<Record<string, string>> = {
  string: "文本",
  number: "数字",
  boolean: "布尔值（true/false）",
  object: "对象",
  array: "数组",
  null: "空值 null",
  bigint: "大整数",
  symbol: "符号",
  function: "函数",
  undefined: "未定义",
};

function given(got: GivenValue | undefined): string {
  if (got === undefined || got.type === "missing") return "缺少该字段";
  if (got.type === "null") return "空值 null";
  if (got.type === "array") return "一个数组";
  if (got.type === "object") return "一个对象";
  if (got.type === "string") return got.text ?? '""';
  return `${TYPE_ZH[got.type] ?? got.type} ${got.text ?? ""}`;
}

function bound(issue: FieldIssue, min: boolean): string | undefined {
  const value = min ? issue.minimum : issue.maximum;
  if (value === undefined) return undefined;
  if (issue.origin === "string") {
    if (min && value === 1) return "不能为空";
    return min ? `至少 ${value} 个字符` : `最多 ${value} 个字符`;
  }
  if (issue.origin === "array" || issue.origin === "set") return min ? `至少 ${value} 项` : `最多 ${value} 项`;
  if (min) return issue.inclusive === false ? `必须大于 ${value}` : `不能小于 ${value}`;
  return issue.inclusive === false ? `必须小于 ${value}` : `不能大于 ${value}`;
}

function issueText(issue: FieldIssue): string {
  if (issue.values !== undefined) return `应为 ${issue.values.join("、")} 之一，实际为${given(issue.got)}`;
  if (isNotFinite(issue)) return `必须是有限的数字，实际为 ${issue.got?.text ?? ""}`;
  if (issue.code === "invalid_type" && issue.expected !== undefined) return `应为${TYPE_ZH[issue.expected] ?? issue.expected}，实际为${given(issue.got)}`;
  if (issue.code === "too_small") return bound(issue, true) ?? issue.message;
  if (issue.code === "too_big") return bound(issue, false) ?? issue.message;
  if (issue.code === "invalid_format" && issue.pattern === "/^[A-Z]{3}$/") return "应为三位大写字母的 ISO 4217 币种代码，如 CNY、USD";
  if (issue.code === "invalid_format" && issue.pattern !== undefined) return `格式不符合 ${issue.pattern}`;
  if (issue.reason === "iso_time") return `应为 ISO 8601 日期或日期时间，如 2025-03-01 或 2025-03-01T09:30:00Z，实际为 ${given(issue.got)}`;
  if (issue.reason === "invalid_date") return "应为有效的日期（Date），实际是一个无效日期（时间为 NaN）";
  // A rule of the schema with no Chinese text of its own: its English message still says what to fix.
  return issue.message;
}

const RECORD_NAME: Readonly<Record<ReferencedCollection, readonly [string, string]>> = {
  partners: ["合作伙伴", "编号"],
  regions: ["地区", "代码"],
  products: ["产品", "SKU"],
};

const ADVICE: Readonly<Record<RejectionMessages["invalid_text"]["advice"], string>> = {
  check: "；请核对 channel-conflict.yaml 里写的编码",
  gb18030: "；如果这个文件是 GB18030 编码，请在 channel-conflict.yaml 里注明（encoding: gb18030）",
  name: "；请在 channel-conflict.yaml 里写明文件的编码（encoding: windows-1252、shift_jis 等）",
  none: "",
};

/** The simplified-Chinese text of every rejection reason (zh-CN). */
export const rejectionTextsZhCn: MessageTexts<RejectionMessages> = {
  not_json: (a) => `不是有效的 JSON（${a.detail}）`,
  too_long: (a) => `${a.unit === "line" ? "这一行" : "这条记录"}超过了 maxRecordBytes 的上限（${a.maxRecordBytes} 字节）`,
  invalid_text(a) {
    const unit = a.unit === "line" ? "该行" : "该记录";
    const where = a.byte !== undefined && a.at !== undefined ? `${unit}第 ${a.at} 个字节 ${a.byte}` : unit;
    return a.advice === "none" ? `不是有效的 ${a.encoding} 文本` : `不是有效的 ${a.encoding} 文本（${where}）${ADVICE[a.advice]}`;
  },
  csv_stray_quote: (a) => `CSV：第 ${a.cell} 格没有用引号括起来，里面却有引号；应把整格放在引号里，格内的引号写两遍（""）`,
  csv_after_quote: (a) => `CSV：第 ${a.cell} 格在右引号之后还有${a.what ?? "一个非 ASCII 字符"}；右引号之后应当是分隔符 ${a.delimiter} 或行尾`,
  csv_unclosed_quote: (a) => `CSV：第 ${a.cell} 格的引号从第 ${a.openedOn} 行开始一直没有闭合；请补上右引号`,
  csv_cells: (a) => `这一行 CSV 有 ${a.cells} 列，表头有 ${a.expected} 列，应当每个表头列对应一格`,
  not_a_record: (a) => `应为一条记录（对象），实际为${given({ type: a.got === "an array" ? "array" : a.got === "null" ? "null" : (a.got as GivenValue["type"]) })}`,
  unreadable_cell: (a) => `列“${a.column}”的值 ${a.value} 不符合 ${a.field} 的${a.kind === "time" ? "日期格式" : "数字格式"}“${a.format}”`,
  unmapped_cell: (a) => `列“${a.column}”的值 ${a.value} 不在 ${a.field} 的对照表里（${a.known}）；请补上这个值，或加一条 "*" 对应其余所有值`,
  unrepresentable_value: (a) =>
    a.problem === "time_range"
      ? `${a.column}：时间超出了 JavaScript 能表示的范围（距 1970 年最多 8.64e15 毫秒），实际为 ${a.value} 毫秒`
      : `${a.column}：整数 ${a.value} 无法用 JSON 数字精确表示，绝对值最多为 2^53 - 1`,
  invalid_fields: (a) => a.issues.map((issue) => `${issue.path}：${issueText(issue)}`).join("；"),
  duplicate_id: (a) => `${a.field}：编号“${a.id}”重复，第一次出现在 ${a.first}`,
  duplicate_event: (a) => `id：事件编号“${a.id}”重复`,
  unknown_reference(a) {
    const [what, key] = RECORD_NAME[a.collection];
    return `${a.field}：${what}“${a.id}”不存在；应为 ${a.collection} 里列出的${what}${key}`;
  },
  unknown_ancestor: (a) =>
    `${a.field}：上级“${a.ancestor}”的上级“${a.parent}”不存在；${a.collection === "regions" ? "各级上级地区" : "各级上级合作伙伴"}都应列在 ${a.collection} 里`,
  own_ancestor: (a) => `${a.field}：地区“${a.id}”成了自己的上级（经由“${a.through}”形成循环）`,
  parent_cycle: (a) =>
    a.collection === "regions"
      ? `${a.field}：上级地区经由“${a.through}”形成循环；上级链应当终止于一个顶级地区`
      : `${a.field}：上级合作伙伴经由“${a.through}”形成循环；上级链应当终止于一个没有 parentId 的合作伙伴`,
  end_before_start: (a) => `${a.field}：早于 ${a.start}；结束时间应不早于开始时间`,
  out_of_order: (a) =>
    `occurredAt：${a.at} 早于已读到的事件（${a.latest}）；数据流必须按时间顺序${a.stream ? "（或用 allowedLateness 允许一定的延迟）" : ""}`,
  too_late: (a) => `occurredAt：${a.at} 比已读到的最新事件（${a.latest}）早了超过 allowedLateness（${a.allowedLateness}）`,
};
