import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { type PersonalData, PersonalDataSchema, type SealedPersonalData } from "../domain/values.js";
import type { DataKey } from "./keyStore.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when sealed personal data does not open with its key: the ciphertext, its tag or its context was changed. */
export class PersonalDataIntegrityError extends Error {
  /** Always `"PersonalDataIntegrityError"`. */
  override readonly name = "PersonalDataIntegrityError" as const;
  /** Stable code to match on. */
  readonly code = "privacy/integrity" as const;
  constructor(
    /** The stream of the event holding the sealed data. */
    readonly streamId: string,
    /** That event's version. */
    readonly version: number,
    /** The key the data was sealed with. */
    readonly keyId: string,
  ) {
    super(
      `stream ${streamId} version ${version}: sealed personal data does not open with key ${keyId} (changed ciphertext, tag or context)`,
    );
  }
}

/** Is `error` a {@link PersonalDataIntegrityError}? */
export function isPersonalDataIntegrityError(error: unknown): error is PersonalDataIntegrityError {
  return error instanceof Error && error.name === "PersonalDataIntegrityError";
}

/**
 * Seals personal data with AES-256-GCM under `key`, with a fresh random IV. `context` is bound
 * as additional authenticated data: the sealed value opens only with the same context (the
 * complainant and the event it belongs to), so it cannot be moved to another event unnoticed.
 */
export function sealPersonalData(data: PersonalData, key: DataKey, context: string): SealedPersonalData {
  // A random 96-bit IV per seal: with one key per complainant, far fewer than 2^32 seals ever
  // use one key, so the GCM bound on random IVs is out of reach.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), "utf8"), cipher.final()]);
  return {
    sealed: {
      v: 1,
      alg: "A256GCM",
      keyId: key.keyId,
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      ciphertext: ciphertext.toString("base64"),
    },
  };
}

/**
 * Opens sealed personal data; undefined when it does not authenticate (wrong key or context, or
 * changed bytes). The caller decides how to report that.
 */
export function openPersonalData(
  value: SealedPersonalData,
  key: DataKey,
  context: string,
): PersonalData | undefined {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(value.sealed.iv, "base64"), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(value.sealed.tag, "base64"));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(value.sealed.ciphertext, "base64")),
      decipher.final(),
    ]);
    const parsed = PersonalDataSchema.safeParse(JSON.parse(plain.toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
