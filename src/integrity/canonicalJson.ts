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
  let value = input;
  if (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  )
    value = (value as { toJSON(): unknown }).toJSON();
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
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
  const object = value as Record<string, unknown>;
  if (path.includes(object)) throw new TypeError("canonicalJson: the value contains a cycle");
  path.push(object);
  // Concatenated in place, and each key's JSON text written once per process: this runs for
  // every event a store appends, so the time matters.
  let text: string;
  if (Array.isArray(object)) {
    text = "[";
    for (let i = 0; i < object.length; i++)
      text += `${i === 0 ? "" : ","}${write(object[i], path) ?? "null"}`;
    text += "]";
  } else {
    text = "{";
    let first = true;
    for (const key of Object.keys(object).sort()) {
      const member = write(object[key], path);
      if (member === undefined) continue;
      text += `${first ? "" : ","}${keyText(key)}:${member}`;
      first = false;
    }
    text += "}";
  }
  path.pop();
  return text;
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
