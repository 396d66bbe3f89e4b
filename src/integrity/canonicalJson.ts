/**
 * The canonical JSON text of a value: object keys sorted by UTF-16 code units, no whitespace,
 * strings and numbers written as `JSON.stringify` writes them. For the JSON data events hold
 * this is RFC 8785 (JCS), so any JCS library recomputes the same text, and so the same hashes.
 *
 * Values JSON cannot hold are treated as `JSON.stringify` treats them (`undefined` members are
 * left out, `NaN` and infinities become `null`, `toJSON` is called), so a value and its JSON
 * round trip have the same canonical text: a store can hash what it is given and a verifier can
 * hash what it reads back.
 * @throws TypeError for a `bigint`, a cycle, or a top-level value without a JSON form.
 * @example canonicalJson({ b: [1, "二"], a: null }); // '{"a":null,"b":[1,"二"]}'
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, []);
  if (text === undefined) throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  return text;
}

function write(input: unknown, path: object[]): string | undefined {
  if (
    typeof input === "object" &&
    input !== null &&
    typeof (input as { toJSON?: unknown }).toJSON === "function"
  )
    return writeValue((input as { toJSON(): unknown }).toJSON(), path);
  return writeValue(input, path);
}

/** A string JSON.stringify would not write as-is between quotes (lone surrogates included). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON must escape
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

// This runs for every event a store appends, so the time matters: strings that need no escape
// are quoted by hand, keys are sorted in place (insertion sort for the few keys of event
// objects), each key's JSON text is written once per process, and text is concatenated in place.
function writeValue(value: unknown, path: object[]): string | undefined {
  switch (typeof value) {
    case "string":
      return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      throw new TypeError("canonicalJson: a bigint has no JSON form");
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return "null";
  if (value instanceof Number || value instanceof String || value instanceof Boolean)
    return writeValue(value.valueOf(), path);
  const object = value as Record<string, unknown>;
  if (path.includes(object)) throw new TypeError("canonicalJson: the value contains a cycle");
  path.push(object);
  let text: string;
  if (Array.isArray(object)) {
    text = "[";
    for (let i = 0; i < object.length; i++) {
      if (i > 0) text += ",";
      text += write(object[i], path) ?? "null";
    }
    text += "]";
  } else {
    const keys = sortKeys(Object.keys(object));
    text = "{";
    let first = true;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const member = write(object[key], path);
      if (member === undefined) continue;
      if (first) first = false;
      else text += ",";
      text += `${keyText(key)}:${member}`;
    }
    text += "}";
  }
  path.pop();
  return text;
}

/** Sorts keys in place by UTF-16 code units (what `Array#sort` does by default). */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

const keyTexts = new Map<string, string>();

/** `JSON.stringify(key)`, remembered for the few hundred field names events use. */
function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = JSON.stringify(key);
    if (keyTexts.size < 4096) keyTexts.set(key, text);
  }
  return text;
}

/**
 * The two texts a store writes for an event in one pass: `body`, the canonical JSON of the
 * event without `position`, `streamId` and `version` (the row's text; those three are columns),
 * and `envelope`, `canonicalJson({ ...body, streamId, version })` (what the seal hashes).
 * Writing each member once for both saves serialising every appended event twice.
 * @throws TypeError as {@link canonicalJson} does.
 */
export function canonicalRow(
  event: object,
  streamId: string,
  version: number,
): { readonly body: string; readonly envelope: string } {
  if (typeof (event as { toJSON?: unknown }).toJSON === "function" || Array.isArray(event)) {
    // Not an event-shaped object: the plain definitions.
    const body = { ...(event as Record<string, unknown>) };
    delete body.position;
    delete body.streamId;
    delete body.version;
    return { body: canonicalJson(body), envelope: canonicalJson({ ...body, streamId, version }) };
  }
  const keys = Object.keys(event).filter((k) => k !== "position" && k !== "streamId" && k !== "version");
  keys.push("streamId", "version");
  const sorted = sortKeys(keys);
  const path: object[] = [event];
  let body = "{";
  let envelope = "{";
  for (const key of sorted) {
    const own = key !== "streamId" && key !== "version";
    const member = own
      ? write((event as Record<string, unknown>)[key], path)
      : key === "streamId"
        ? writeValue(streamId, path)
        : writeValue(version, path);
    if (member === undefined) continue;
    const text = `${keyText(key)}:${member}`;
    if (own) body += body.length === 1 ? text : `,${text}`;
    envelope += envelope.length === 1 ? text : `,${text}`;
  }
  return { body: `${body}}`, envelope: `${envelope}}` };
}
