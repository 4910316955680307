import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ANALYSIS_KEYS, explicitValue, landlockSection, type Inspected } from "../src/settings";

const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, { markdownDescription?: string; description?: string; default?: unknown; type: string | string[] }> } };
};

describe("settings mapping", () => {
  it("sends only what the user set, the most specific level winning", () => {
    const values: Record<string, Inspected> = {
      targetAbi: { globalValue: 7, workspaceValue: 8 },
      errata: {},
      threadSpawners: { workspaceFolderValue: ["spawn_pool"], globalValue: ["other"] },
      assumeMultithreaded: { globalValue: false },
      rules: { workspaceValue: { "nesting-limit": "off", "abi-compat": null } },
      debounceMs: { globalValue: 25 },
    };
    assert.deepEqual(landlockSection((k) => values[k]), {
      targetAbi: 8,
      threadSpawners: ["spawn_pool"],
      assumeMultithreaded: false,
      rules: { "nesting-limit": "off" },
      debounceMs: 25,
    });
  });

  it("sends nothing when only defaults apply (the project's .landlock-lint.json decides)", () => {
    assert.deepEqual(landlockSection(() => ({})), {});
    assert.deepEqual(landlockSection(() => undefined), {});
    assert.equal(explicitValue({ globalValue: null }), null);
  });

  it("contributes every analysis setting of the analyzer's schema, with a description and no default that would override the config file", async () => {
    const { SETTINGS_SCHEMA } = await import("@landlock-lint/analyzer");
    const schemaKeys = Object.keys(SETTINGS_SCHEMA.properties).filter((k) => k !== "$schema").sort();
    assert.deepEqual([...ANALYSIS_KEYS].sort(), schemaKeys);
    const props = manifest.contributes.configuration.properties;
    for (const key of schemaKeys) {
      const p = props[`landlock.${key}`];
      assert.ok(p, `landlock.${key} is not contributed`);
      assert.ok((p.markdownDescription ?? p.description ?? "").length > 20, `landlock.${key} has no description`);
      assert.equal(p.default, null, `landlock.${key} must default to null (unset)`);
      const schemaType = (SETTINGS_SCHEMA.properties as Record<string, { type: string }>)[key]!.type;
      assert.ok(Array.isArray(p.type) && p.type.includes(schemaType) && p.type.includes("null"), `landlock.${key} type ${JSON.stringify(p.type)} vs schema ${schemaType}`);
    }
  });
});
