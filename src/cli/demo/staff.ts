import { authorityLimit, type Policy } from "../../domain/policy.js";
import type { Actor, Kind } from "../../domain/values.js";
import type { Random } from "./random.js";

const VALUED_REMEDIES = [
  "exchange",
  "return",
  "compensation",
  "free-repair",
  "price-reduction",
  "substitute",
];

/** The people of the organisation, named after the policy's escalation ladder. */
export function staffOf(policy: Policy, r: Random) {
  const ladder = policy.escalationRoles;
  const byAuthority = [...policy.authority].sort((a, b) => a.maxRemedyValue - b.maxRemedyValue);
  return {
    desk: { id: `desk-${r.int(1, 4)}`, role: ladder[1], unit: "service-desk" } satisfies Actor,
    handler: (unit: string): Actor => ({ id: `${unit}-${r.int(1, 3)}`, role: ladder[1], unit }),
    /** Someone whose authority covers `value`, if the handler's does not. */
    approverFor(handler: Actor, value: number): Actor | undefined {
      if (authorityLimit(policy, handler.role) >= value) return undefined;
      const row = byAuthority.find((a) => a.maxRemedyValue >= value) ?? byAuthority[byAuthority.length - 1];
      return row ? { id: `${row.role}-1`, role: row.role, unit: "management" } : undefined;
    },
    extensionApprover: {
      id: "approver-1",
      role: policy.extensionApproverRoles[0] ?? ladder[2],
      unit: "management",
    } satisfies Actor,
  };
}

/** A remedy for the case; valid complaints often carry a value. */
export function remedyFor(
  r: Random,
  kind: Kind,
  validity: "valid" | "invalid",
  currency: string,
  round: number,
) {
  if (kind !== "complaint")
    return { kinds: ["answer"], description: kind === "inquiry" ? "书面答复" : "感谢建议，已转相关部门研究" };
  if (validity === "invalid")
    return { kinds: ["explanation"], description: "耐心解释相关规定，客户表示理解" };
  if (r.chance(0.35) && round === 1)
    return { kinds: ["apology", "explanation"], description: "致歉并说明原因" };
  const kinds = [r.pick(VALUED_REMEDIES), "apology"];
  const amount = Math.round(r.between(30, 1800) * round);
  return { kinds, description: `${kinds[0]} 并致歉`, value: { amount, currency } };
}
