import type { Actor } from "../../src/index.js";

/** The complainant's personal data the tests look for in events, state and raw storage. */
export const NAME = "王小明";
export const PHONE = "13800138000";
export const NEW_PHONE = "13911112222";
export const EMAIL = "wxm@example.com";
export const ADDRESS = "北京市朝阳区幸福路 8 号";
/** Every piece of {@link NAME}'s personal data, none of which may leak outside `personalData`. */
export const SECRETS = [NAME, PHONE, NEW_PHONE, EMAIL, ADDRESS] as const;
/** The complainant's id: not personal data, so it may appear anywhere. */
export const COMPLAINANT = "cust-0042";

/** Who handles the case: intake staff, the quality unit's handler and its head (an approver). */
export const staff: Actor = { id: "staff-1", role: "staff", unit: "service" };
export const qa: Actor = { id: "qa-1", role: "staff", unit: "qa" };
export const head: Actor = { id: "head-1", role: "department-head", unit: "qa" };
