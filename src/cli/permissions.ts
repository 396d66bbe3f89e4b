import { readFileSync } from "node:fs";
import { type Rejection, reject } from "../domain/rejection.js";
import type { Actor } from "../domain/values.js";
import {
  createPermissionPolicy,
  isPermissionPolicyError,
  maySeePersonalData,
  type PermissionPolicy,
  type RolePermissions,
} from "../permissions/permissionPolicy.js";
import { presets } from "../presets/catalog.js";
import { CliError, type CliIo } from "./io.js";

/**
 * The roles that handle cases under the shipped presets: every role a preset names in its
 * authority table, its escalation ladder or its extension approvers.
 */
export function presetRoles(): string[] {
  const roles = new Set<string>();
  for (const policy of Object.values(presets)) {
    for (const row of policy.authority) roles.add(row.role);
    for (const role of Object.values(policy.escalationRoles)) roles.add(role);
    for (const role of policy.extensionApproverRoles) roles.add(role);
  }
  return [...roles].sort();
}

const HANDLER: RolePermissions = { commands: "*", personalData: true };

/**
 * The permission policy of `kesu` when neither `--permissions` nor `KESU_PERMISSIONS` names one:
 * the roles of the shipped presets handle cases (every command, personal data on request); an
 * `auditor` reads cases, lists and reports with personal data redacted and issues nothing; any
 * other role is not listed, so it issues nothing and sees no personal data either.
 */
export const DEFAULT_CLI_PERMISSIONS: PermissionPolicy = createPermissionPolicy({
  id: "kesu-cli-default",
  version: "1",
  roles: {
    ...Object.fromEntries(presetRoles().map((role) => [role, HANDLER])),
    auditor: { commands: [], personalData: false },
  },
});

/**
 * The permission policy a run works under: the JSON file of `--permissions`, else the file
 * `KESU_PERMISSIONS` names, else {@link DEFAULT_CLI_PERMISSIONS}. A file that cannot be read,
 * is not JSON or is not a valid policy is a usage error naming the file and the field, raised
 * before any database is opened.
 */
export function loadPermissions(option: string | undefined, env: CliIo["env"]): PermissionPolicy {
  const path = option ?? (env.KESU_PERMISSIONS || undefined);
  if (path === undefined) return DEFAULT_CLI_PERMISSIONS;
  const source = option === undefined ? `${path} (KESU_PERMISSIONS)` : path;
  const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the permissions file ${source}: ${oneLine((error as Error).message)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`permissions file ${source}: malformed JSON: ${oneLine((error as Error).message)}`);
  }
  try {
    return createPermissionPolicy(value as Parameters<typeof createPermissionPolicy>[0]);
  } catch (error) {
    if (isPermissionPolicyError(error))
      throw new CliError(`permissions file ${source}: ${oneLine(error.issues)}`);
    throw error;
  }
}

/**
 * The refusal of `--reveal-personal-data` for an actor whose role may not see personal data
 * else undefined.
 */
export function revealRefusal(permissions: PermissionPolicy, actor: Actor): Rejection | undefined {
  if (maySeePersonalData(permissions, actor.role)) return undefined;
  return reject(
    "permission/denied",
    `R-36 role ${JSON.stringify(actor.role)} may not see personal data (permission policy ${permissions.id}@${permissions.version})`,
  );
}
