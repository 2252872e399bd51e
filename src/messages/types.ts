// Messages are data: a detector says what happened as a code and typed arguments, and the words are
// rendered from them in one place per language. Arguments are JSON-safe, so a program can read them too.

/** A JSON-safe message argument. */
export type MessageArg = string | number | boolean | null | readonly MessageArg[] | { readonly [key: string]: MessageArg | undefined };

/** A message: what to say (`code`) and the values to say it with. */
export interface Message<Code extends string = string, Args = Readonly<Record<string, MessageArg>>> {
  readonly code: Code;
  readonly args: Args;
}

// Type aliases, not interfaces: arguments must fit `MessageArg`, which needs an index signature.
/** A partner or customer as messages name it: its id, and its name when the dataset has one. */
export type NamedRecord = {
  readonly id: string;
  readonly name?: string | undefined;
};

/** How often something happened: the count and the first and last instants (epoch ms). */
export type Occurrences = {
  readonly count: number;
  readonly firstAt: number;
  readonly lastAt: number;
};

/** The languages texts meant for people are written in (`--lang`, the `lang` option). */
export const LANGS = ["en", "zh-CN"] as const;

/** A language of `LANGS`. */
export type Lang = (typeof LANGS)[number];

/** Names of reference records by code, as the dataset gives them: messages show `Name (code)`. */
export interface NameLookup {
  readonly regions: ReadonlyMap<string, string>;
  readonly products: ReadonlyMap<string, string>;
}

/** The words every message of a language is made with: names, money, days, lists. */
export interface Words {
  /** The language these words are in. */
  readonly lang: Lang;
  /** A region as `Name (code)` when the dataset names it, else the code. */
  region(code: string): string;
  /** A product as `Name (sku)` when the dataset names it, else the sku. */
  product(sku: string): string;
  /** `Name (id)`, or the id when the record has no name. */
  named(record: NamedRecord): string;
  /** An amount with its currency. */
  money(amount: number, currency: string): string;
  /** The calendar day of an instant. */
  day(ms: number): string;
  /** "3 times between … and …", or "on …" for one occurrence. */
  occurrences(occurrences: Occurrences): string;
  /** "A, B and C". */
  list(items: readonly string[]): string;
  /** A percentage with one decimal (no sign). */
  percent(value: number): string;
}

/** The texts of a set of message codes, in one language: one function per code. */
export type MessageTexts<Messages> = { readonly [Code in keyof Messages]: (args: Messages[Code], words: Words) => string };

/** Any message of a set of codes, with its arguments' type. */
export type MessageOf<Messages> = { [Code in keyof Messages & string]: Message<Code, Messages[Code]> }[keyof Messages & string];

/**
 * The texts of a set of codes per language: English always (a kind added by a user may stop there), the
 * other languages of `LANGS` where written — every shipped kind writes them all (a test checks).
 */
export type Texts<Messages> = { readonly en: MessageTexts<Messages> } & { readonly [L in Exclude<Lang, "en">]?: MessageTexts<Messages> };

/**
 * The texts of a kind's skip codes (checks it could not make: `context.skip(code)`), per language: English
 * always, the other languages of `LANGS` where written. Each text says what could not be checked, without
 * the kind's name (reports put it in front).
 */
export type SkipTexts<Code extends string = string> = { readonly en: Readonly<Record<Code, string>> } & {
  readonly [L in Exclude<Lang, "en">]?: Readonly<Record<Code, string>>;
};
