// Playground state <-> URL hash, so a link reproduces the editor, the language and the
// settings. Used by the page and by the build (the rule pages' "try it" links).
export const LANGUAGES = ["c", "cpp", "go", "rust", "js", "ts"];
export const DEFAULT_STATE = { language: "c", code: "", targetAbi: 6, errata: [], assumeMultithreaded: false };

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function encodeState(state) {
  const s = { ...DEFAULT_STATE, ...state };
  const params = new URLSearchParams();
  params.set("lang", s.language);
  params.set("abi", String(s.targetAbi));
  if (s.errata.length) params.set("errata", s.errata.join(","));
  if (s.assumeMultithreaded) params.set("mt", "1");
  params.set("code", toBase64Url(s.code));
  return params.toString();
}

/** The state a hash describes; malformed parts fall back to the defaults. */
export function decodeState(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const state = { ...DEFAULT_STATE, errata: [] };
  const language = params.get("lang");
  if (language && LANGUAGES.includes(language)) state.language = language;
  const abi = Number(params.get("abi"));
  if (Number.isInteger(abi) && abi >= 1 && abi <= 11) state.targetAbi = abi;
  state.errata = (params.get("errata") ?? "").split(",").map(Number).filter((e) => e >= 1 && e <= 3);
  state.assumeMultithreaded = params.get("mt") === "1";
  try {
    state.code = fromBase64Url(params.get("code") ?? "");
  } catch {
    state.code = "";
  }
  return state;
}
