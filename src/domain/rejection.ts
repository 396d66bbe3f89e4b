/**
 * Every stable rejection code `decide` can return, with the DOMAIN rule it enforces.
 * Codes are a public contract: they never change meaning once published.
 */
export const REJECTIONS = {
  "command/invalid": { rule: undefined, meaning: "the command payload does not match its schema" },
  "command/id-reused": { rule: undefined, meaning: "the command id was already used for another stream" },
  "complaint/not-found": { rule: undefined, meaning: "the stream has no ComplaintReceived yet" },
  "complaint/already-received": { rule: "R-01", meaning: "the stream already holds a complaint" },
  "complaint/closed": { rule: "R-11", meaning: "a closed case accepts nothing but a reopen" },
  "complaint/not-closed": { rule: "R-12", meaning: "only a closed case can be reopened" },
  "complaint/wrong-stage": { rule: undefined, meaning: "the command does not fit the case's stage" },
  "complaint/anonymous-with-personal-data": {
    rule: "R-37",
    meaning: "an anonymous complaint carries no personal data",
  },
  "complaint/already-acknowledged": { rule: "R-03", meaning: "receipt was already acknowledged" },
  "complaint/already-classified": { rule: "R-18", meaning: "use ChangeSeverity to reclassify" },
  "complaint/recusal": { rule: "R-28", meaning: "the person complained about may not handle the case" },
  "complaint/waiting-on-complainant": { rule: "R-23", meaning: "the case waits on the complainant" },
  "complaint/not-waiting": { rule: "R-23", meaning: "the case is not waiting on the complainant" },
  "permission/denied": {
    rule: undefined,
    meaning: "the actor's role may not issue this command under the permission policy",
  },
  "policy/mismatch": { rule: undefined, meaning: "the case is judged by another policy; apply ChangePolicy" },
  "policy/unknown-category": { rule: "R-20", meaning: "the category is not in the policy's taxonomy" },
  "policy/unknown-severity": { rule: "R-18", meaning: "the severity is not in the policy's scale" },
  "policy/kind-not-allowed": { rule: "R-16", meaning: "the policy does not handle this kind" },
  "policy/severity-below-rule": { rule: "R-18", meaning: "a severity rule sets a higher minimum" },
  "policy/authority-exceeded": { rule: "R-27", meaning: "the remedy's value exceeds the actor's authority" },
  "policy/currency-mismatch": { rule: "R-27", meaning: "the remedy is not in the policy currency" },
  "assignment/already-owner": { rule: "R-05", meaning: "the assignee already owns the case" },
  "assignment/none-pending": { rule: "R-06", meaning: "no hand-over waits for acknowledgement" },
  "assignment/not-assignee": { rule: "R-06", meaning: "only the assignee acknowledges a hand-over" },
  "escalation/invalid-level": { rule: "R-26", meaning: "escalation goes up the ladder, levels 1 to 3" },
  "resolution/explanation-required": {
    rule: "R-17",
    meaning: "an invalid complaint is answered with an explanation",
  },
  "resolution/not-proposed": { rule: "R-08", meaning: "no resolution waits for the complainant's answer" },
  "resolution/already-accepted": { rule: "R-09", meaning: "the resolution was already accepted" },
  "resolution/not-investigated": {
    rule: "R-07",
    meaning: "a complaint is investigated before a remedy is proposed",
  },
  "on-the-spot/not-allowed": {
    rule: "R-04",
    meaning: "the policy does not allow on-the-spot resolution here",
  },
  "revisit/not-resolved": { rule: "R-10", meaning: "a revisit follows a resolution" },
  "close/not-resolved": { rule: "R-11", meaning: "the case has no resolution to close on" },
  "close/confirmation-required": { rule: "R-11", meaning: "谁投诉谁关闭: the complainant must confirm" },
  "close/revisit-required": { rule: "R-10", meaning: "the policy requires a revisit before closing" },
  "close/gate": { rule: "R-30", meaning: "五不放过: a closure gate is not passed" },
  "close/accountability-required": {
    rule: "R-12",
    meaning: "a case reopened for bad handling needs accountability",
  },
  "close/regulator-not-informed": {
    rule: "R-32",
    meaning: "the regulator that forwarded it must be told the outcome",
  },
  "withdraw/not-allowed": { rule: "R-13", meaning: "withdrawal needs the complainant mainly at fault" },
  "extension/approver-not-authorised": {
    rule: "R-14",
    meaning: "the approver's role may not approve extensions",
  },
  "extension/complainant-not-notified": {
    rule: "R-14",
    meaning: "the complainant must be told of the extension",
  },
  "extension/unknown-clock": { rule: "R-14", meaning: "the policy has no such clock" },
  "corrective/not-applicable": {
    rule: "R-17",
    meaning: "invalid complaints, inquiries and suggestions need no CAPA",
  },
  "corrective/duplicate": { rule: "R-31", meaning: "an action with this id exists" },
  "corrective/unknown": { rule: "R-31", meaning: "no action with this id" },
  "corrective/out-of-order": { rule: "R-31", meaning: "actions are planned, implemented, then verified" },
} as const satisfies Record<string, { rule: string | undefined; meaning: string }>;

/** A stable rejection code. */
export type RejectionCode = keyof typeof REJECTIONS;

/** Why a command was refused. Business rejections are data, never exceptions. */
export interface Rejection {
  /** The stable code (see {@link REJECTIONS}): match on this, not on the message. */
  readonly code: RejectionCode;
  /** The DOMAIN rule id, when the rejection enforces one. */
  readonly rule?: string | undefined;
  /** A sentence for people; it names the rule, e.g. `R-28 the person complained about …`. */
  readonly message: string;
  /** For `command/invalid`: each failing field path with its problem. */
  readonly fields?: readonly { path: string; message: string }[] | undefined;
}

/** Builds a {@link Rejection} whose message starts with its rule id. */
export function reject(code: RejectionCode, detail: string): Rejection {
  const rule = REJECTIONS[code].rule;
  return { code, rule, message: rule ? `${rule} ${detail}` : detail };
}
