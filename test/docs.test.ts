import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DETECTORS } from "../src/index.js";

const readme = readFileSync("README.md", "utf8");

describe("README", () => {
  it("documents every fact and parameter of every kind", () => {
    for (const detector of Object.values(DETECTORS)) {
      const section = readme.slice(readme.indexOf(`#### \`${detector.kind}\``));
      for (const fact of detector.facts) expect(section, `${detector.kind}.${fact.name}`).toContain(`| \`${fact.name}\` |`);
      for (const param of detector.params) expect(section).toContain(`\`${param.name}\` (default ${param.default})`);
    }
  });

  it("opens with the two commands a newcomer needs", () => {
    expect(readme).toContain("npm install && npx channel-conflict scan fixtures/demo");
    expect(readme).toContain("npm test ");
  });
});
