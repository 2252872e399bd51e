import type { Lang } from "../messages/types.js";
import type { Rule } from "./types.js";

/** A rule's `title`, `description` or `remediation` in `lang`, falling back to English where the rule file gives none. */
export function ruleText(rule: Rule, field: "title" | "description" | "remediation", lang: Lang): string | undefined {
  if (lang !== "en") {
    const translated = rule.translations?.[lang]?.[field];
    if (translated !== undefined) return translated;
  }
  return rule[field];
}
