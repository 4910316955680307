// GitHub Actions workflow commands (`::error file=...,line=...::message`). The runner
// splits a command at `::` and its properties at `,` and `=`, and ends it at a newline,
// so data and property values are escaped the way @actions/core escapes them.

/** Escapes the message part: `%`, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value: as data, plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type CommandLevel = "error" | "warning" | "notice";

/** One command line; properties with undefined values are left out, the rest keep their order. */
export function workflowCommand(level: CommandLevel, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${level}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}
