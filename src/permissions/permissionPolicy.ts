import { z } from "zod";
import { COMMAND_TYPES, type CommandType } from "../domain/commands.js";
import { type Rejection, reject } from "../domain/rejection.js";
import { ShortText } from "../domain/values.js";

/** What one role may do: the commands it may issue (`"*"`: all) and whether it sees personal data. */
export const RolePermissionsSchema = z.strictObject({
  commands: z.union([z.literal("*"), z.array(z.enum(COMMAND_TYPES as [CommandType, ...CommandType[]]))]),
  /** R-36: may this role read the complainants' personal data? */
  personalData: z.boolean(),
});
/** What one role may do: the commands it may issue and whether it may read personal data. */
export type RolePermissions = z.infer<typeof RolePermissionsSchema>;

/**
 * Who may do what, by the actor's `role` (the same role the policy's authority table uses).
 * A role that is not listed may issue nothing and sees no personal data. Permissions are on
 * top of the domain rules: an administrator allowed every command is still bound by recusal
 * and authority limits.
 */
export const PermissionPolicySchema = z.strictObject({
  id: ShortText,
  version: ShortText,
  roles: z.record(ShortText, RolePermissionsSchema),
});
/** Who may do what, by role: a validated {@link PermissionPolicySchema}. */
export type PermissionPolicy = z.infer<typeof PermissionPolicySchema>;
/** What a caller writes for a {@link PermissionPolicy}. */
export type PermissionPolicyInput = z.input<typeof PermissionPolicySchema>;

/** Thrown by {@link createPermissionPolicy} for invalid data. */
export class PermissionPolicyError extends Error {
  /** Always `"PermissionPolicyError"`. */
  override readonly name = "PermissionPolicyError" as const;
  /** Stable code to match on. */
  readonly code = "permissions/invalid" as const;
  constructor(
    /** Every problem found, `path: message`, separated by `; `. */
    readonly issues: string,
  ) {
    super(`invalid permission policy: ${issues}`);
  }
}

/** Is `error` a {@link PermissionPolicyError}? */
export function isPermissionPolicyError(error: unknown): error is PermissionPolicyError {
  return error instanceof Error && error.name === "PermissionPolicyError";
}

/**
 * Validates a permission policy (from code, JSON or YAML).
 * @throws PermissionPolicyError naming every invalid field, e.g. an unknown command type.
 * @example
 * const permissions = createPermissionPolicy({
 *   id: "acme", version: "1",
 *   roles: {
 *     staff: { commands: ["ReceiveComplaint", "AcknowledgeReceipt", "ReportProgress"], personalData: true },
 *     auditor: { commands: [], personalData: false },
 *     administrator: { commands: "*", personalData: true },
 *   },
 * });
 */
export function createPermissionPolicy(input: PermissionPolicyInput): PermissionPolicy {
  const result = PermissionPolicySchema.safeParse(input);
  if (!result.success)
    throw new PermissionPolicyError(
      specific(result.error.issues)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; "),
    );
  return result.data;
}

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

// `commands` is `"*"` or a list: when both fail, report why the branch that got furthest did
// (`roles.staff.commands.0: Invalid option …`), not a bare "Invalid input".
function specific(issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
    const furthest = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    return specific(furthest).map((i) => ({ ...i, path: [...issue.path, ...i.path] }));
  });
}

const rolePermissions = (policy: PermissionPolicy, role: string): RolePermissions | undefined =>
  Object.hasOwn(policy.roles, role) ? policy.roles[role] : undefined;

/** May `role` issue commands of this type? */
export function mayIssue(policy: PermissionPolicy, role: string, type: CommandType): boolean {
  const commands = rolePermissions(policy, role)?.commands;
  return commands === "*" || (commands?.includes(type) ?? false);
}

/** May `role` read complainants' personal data (R-36)? */
export function maySeePersonalData(policy: PermissionPolicy, role: string): boolean {
  return rolePermissions(policy, role)?.personalData ?? false;
}

/** The `permission/denied` rejection when `role` may not issue `type`, else undefined. */
export function checkPermission(
  policy: PermissionPolicy,
  role: string,
  type: CommandType,
): Rejection | undefined {
  if (mayIssue(policy, role, type)) return undefined;
  return reject(
    "permission/denied",
    `role ${JSON.stringify(role)} may not issue ${type} (permission policy ${policy.id}@${policy.version})`,
  );
}
