import { type Command, Option } from "commander";
import type { Policy } from "../domain/policy.js";
import { CHANNELS, KINDS, REMEDY_KINDS } from "../domain/values.js";
import { CliError } from "./io.js";
import { parseActor, parseInstant } from "./session.js";

/** The options a verb's action receives from commander (flags in camelCase). */
export type VerbOptions = Readonly<Record<string, unknown>>;

/** A verb: its name, flags, and how its flags become a command payload. */
export interface Verb {
  readonly name: string;
  readonly summary: string;
  /** Whether the verb addresses an existing case (`<case>` argument). */
  readonly needsCase: boolean;
  readonly options: () => readonly Option[];
  build(options: VerbOptions, policy: Policy): Record<string, unknown>;
}

const str = (o: VerbOptions, key: string) => (typeof o[key] === "string" ? (o[key] as string) : undefined);
const list = (o: VerbOptions, key: string) =>
  str(o, key)
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const flag = (o: VerbOptions, key: string) => o[key] === true;

/** Drops undefined fields, so optional fields stay absent (not `undefined`). */
export function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** `person@unit` or `unit` as a party (R-05 assignee, R-29 responsible, R-02 complained about). */
export function parseParty(text: string | undefined): { id?: string; unit: string } | undefined {
  if (text === undefined) return undefined;
  const at = text.lastIndexOf("@");
  return at < 0 ? { unit: text } : { id: text.slice(0, at), unit: text.slice(at + 1) };
}

/** `260` (the policy's currency) or `260 CNY`, as money. */
function parseMoney(text: string | undefined, policy: Policy) {
  if (text === undefined) return undefined;
  const [amount, currency = policy.currency] = text.trim().split(/\s+/);
  const n = Number(amount);
  if (!Number.isFinite(n)) throw new CliError(`--value ${JSON.stringify(text)} is not an amount`);
  return { amount: n, currency };
}

function numberOption(o: VerbOptions, key: string, name: string) {
  const text = str(o, key);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) throw new CliError(`${name} ${JSON.stringify(text)} is not a number`);
  return n;
}

const opt = (flags: string, description: string) => new Option(flags, description);
const choice = (flags: string, description: string, choices: readonly string[]) =>
  new Option(flags, description).choices(choices);

/** Flags every verb takes. */
export const COMMON_OPTIONS: readonly (() => Option)[] = [
  () => opt("--at <instant>", "when it happened (default: now); later than the case's last event"),
  () => opt("--command-id <id>", "an idempotency key: the same id twice appends once"),
];

/** The envelope fields of a verb's flags. */
export function commonFields(o: VerbOptions): Record<string, unknown> {
  const at = str(o, "at");
  return compact({
    occurredAt: at === undefined ? undefined : parseInstant(at).toISOString(),
    commandId: str(o, "commandId"),
  });
}

/** The verbs: each maps its flags to one command of the domain. */
export const VERBS: readonly Verb[] = [
  {
    name: "receive",
    summary: "register a complaint, inquiry or suggestion (R-02); prints its case number",
    needsCase: false,
    options: () => [
      choice("--channel <channel>", "how it arrived", CHANNELS).makeOptionMandatory(),
      opt("--description <text>", "what the complainant says").makeOptionMandatory(),
      opt("--complainant <id>", "the complainant's id (omit for an anonymous complaint, R-37)"),
      opt("--name <name>", "the complainant's name (personal data, R-36)"),
      opt("--phone <phone>", "the complainant's phone (personal data)"),
      opt("--email <email>", "the complainant's e-mail (personal data)"),
      opt("--address <address>", "the complainant's address (personal data)"),
      opt("--request <text>", "what the complainant asks for"),
      opt("--product <text>", "the product concerned"),
      opt("--order <number>", "the order number concerned"),
      opt("--complained-about <party>", "the person or unit complained about: person@unit or unit (R-28)"),
      opt("--tags <list>", "comma-separated tags, e.g. dispute-risk"),
      opt("--case-number <number>", "use this case number instead of the policy's numbering"),
      opt("--external-ref <ref>", "a reference in another system"),
    ],
    build(o) {
      const complainant = str(o, "complainant");
      const personal = compact({
        name: str(o, "name"),
        phone: str(o, "phone"),
        email: str(o, "email"),
        address: str(o, "address"),
      });
      return compact({
        type: "ReceiveComplaint",
        channel: str(o, "channel"),
        description: str(o, "description"),
        complainant: { id: complainant ?? "anonymous", anonymous: complainant === undefined },
        personalData: Object.keys(personal).length > 0 ? personal : null,
        request: str(o, "request"),
        subject: compact({ product: str(o, "product"), orderNumber: str(o, "order") }),
        complainedAbout: parseParty(str(o, "complainedAbout")),
        tags: list(o, "tags"),
        caseNumber: str(o, "caseNumber"),
        externalRef: str(o, "externalRef"),
      });
    },
  },
  {
    name: "acknowledge",
    summary: "tell the complainant who handles the case and by when (R-03)",
    needsCase: true,
    options: () => [
      opt("--handler <party>", "person@unit or unit").makeOptionMandatory(),
      opt("--by <instant>", "the answer the complainant can expect by").makeOptionMandatory(),
      choice("--channel <channel>", "how they were told (default phone)", CHANNELS).default("phone"),
    ],
    build: (o) => ({
      type: "AcknowledgeReceipt",
      handler: parseParty(str(o, "handler")),
      expectedResponseBy: parseInstant(str(o, "by") ?? "", "--by").toISOString(),
      channel: str(o, "channel"),
    }),
  },
  {
    name: "classify",
    summary: "set kind, category and severity (R-15–R-20)",
    needsCase: true,
    options: () => [
      choice("--kind <kind>", "complaint, inquiry or suggestion (default complaint)", KINDS).default(
        "complaint",
      ),
      opt(
        "--category <id>",
        "a category of the policy (kesu presets <name> lists them)",
      ).makeOptionMandatory(),
      opt("--severity <severity>", "a severity of the policy (default: the policy's, raised by its rules)"),
      choice("--cause <class>", "cause class (R-19)", ["quality", "non-quality", "other"]),
      opt("--tags <list>", "comma-separated tags"),
    ],
    build: (o) =>
      compact({
        type: "ClassifyComplaint",
        kind: str(o, "kind"),
        category: str(o, "category"),
        severity: str(o, "severity"),
        causeClass: str(o, "cause"),
        tags: list(o, "tags"),
      }),
  },
  {
    name: "assign",
    summary: "route the case to a responsible unit or person (R-05); again to re-assign",
    needsCase: true,
    options: () => [
      opt("--to <party>", "person@unit or unit").makeOptionMandatory(),
      opt("--reason <text>", "why"),
    ],
    build: (o) =>
      compact({ type: "AssignComplaint", assignee: parseParty(str(o, "to")), reason: str(o, "reason") }),
  },
  {
    name: "accept",
    summary: "the assignee acknowledges the hand-over (R-06); run it --as the assignee",
    needsCase: true,
    options: () => [],
    build: () => ({ type: "AcceptAssignment" }),
  },
  {
    name: "escalate",
    summary: "escalate to level 2 or 3 (R-26)",
    needsCase: true,
    options: () => [
      choice("--level <level>", "2 or 3", ["2", "3"]).makeOptionMandatory(),
      opt("--reason <text>", "why").makeOptionMandatory(),
    ],
    build: (o) => ({ type: "EscalateComplaint", toLevel: Number(str(o, "level")), reason: str(o, "reason") }),
  },
  {
    name: "investigate",
    summary: "record the findings and validity (R-07, R-15)",
    needsCase: true,
    options: () => [
      opt("--facts <text>", "the facts verified").makeOptionMandatory(),
      choice("--validity <validity>", "valid or invalid (R-15)", ["valid", "invalid"]).makeOptionMandatory(),
      opt("--root-cause <text>", "the root cause (五不放过: cause found)"),
      opt("--responsible <party>", "the responsible person@unit or unit"),
      opt("--evidence <list>", "comma-separated evidence references"),
    ],
    build: (o) => ({
      type: "RecordInvestigation",
      findings: compact({
        facts: str(o, "facts"),
        validity: str(o, "validity"),
        rootCause: str(o, "rootCause"),
        responsible: parseParty(str(o, "responsible")),
        evidence: list(o, "evidence"),
      }),
    }),
  },
  {
    name: "resolve",
    summary:
      "propose a remedy (R-08), settle on the spot (R-04), or record the complainant's answer (--accepted, --rejected, R-09)",
    needsCase: true,
    options: () => [
      opt("--remedy <kinds>", `comma-separated: ${REMEDY_KINDS.join(", ")}`),
      opt("--description <text>", "the remedy in words"),
      opt("--value <amount>", "the remedy's value, e.g. 260 or '260 CNY' (checked against authority, R-27)"),
      opt("--approved-by <actor>", "a superior id:role:unit whose authority covers the value"),
      opt("--on-the-spot", "settle a simple matter at once (R-04); needs --category"),
      choice("--kind <kind>", "with --on-the-spot: the kind (default complaint)", KINDS),
      opt("--category <id>", "with --on-the-spot: the category"),
      opt("--severity <severity>", "with --on-the-spot: the severity"),
      opt("--accepted", "the complainant accepts the proposed remedy"),
      opt("--rejected <reason>", "the complainant rejects it: back to investigation (R-09)"),
    ],
    build(o, policy) {
      if (flag(o, "accepted")) return { type: "AcceptResolution" };
      const rejected = str(o, "rejected");
      if (rejected !== undefined) return { type: "RejectResolution", reason: rejected };
      const remedy = compact({
        kinds: list(o, "remedy"),
        description: str(o, "description"),
        value: parseMoney(str(o, "value"), policy),
      });
      if (flag(o, "onTheSpot"))
        return compact({
          type: "ResolveOnTheSpot",
          kind: str(o, "kind"),
          category: str(o, "category"),
          severity: str(o, "severity"),
          remedy,
        });
      const approver = str(o, "approvedBy");
      return compact({
        type: "ProposeResolution",
        remedy,
        approvedBy: approver === undefined ? undefined : parseActor(approver),
      });
    },
  },
  {
    name: "revisit",
    summary: "record the revisit (回访) and the complainant's satisfaction (R-10)",
    needsCase: true,
    options: () => [
      choice("--satisfaction <score>", "90 满意, 80 较满意, 70 一般, 60 较差", [
        "90",
        "80",
        "70",
        "60",
      ]).makeOptionMandatory(),
      opt("--comment <text>", "what the complainant said"),
      opt("--confirmed", "the complainant confirms the case can close (谁投诉谁关闭, R-11)"),
      opt("--follow-up", "a follow-up survey is due"),
    ],
    build: (o) =>
      compact({
        type: "RecordRevisit",
        satisfaction: numberOption(o, "satisfaction", "--satisfaction"),
        comment: str(o, "comment"),
        complainantConfirmed: flag(o, "confirmed"),
        followUp: flag(o, "followUp"),
      }),
  },
  {
    name: "close",
    summary: "close the case (R-11, R-17, R-30)",
    needsCase: true,
    options: () => [
      opt("--summary <text>", "how it ended"),
      opt("--staff-educated", "the staff concerned were educated (五不放过, R-30)"),
    ],
    build: (o) =>
      compact({
        type: "CloseComplaint",
        summary: str(o, "summary"),
        staffEducated: flag(o, "staffEducated"),
      }),
  },
  {
    name: "reopen",
    summary: "the complainant comes back on the same matter (R-12)",
    needsCase: true,
    options: () => [
      choice("--reason <reason>", "why", [
        "complainant-returned",
        "handled-badly",
        "new-information",
      ]).makeOptionMandatory(),
      opt("--description <text>", "what the complainant says now").makeOptionMandatory(),
    ],
    build: (o) => ({ type: "ReopenComplaint", reason: str(o, "reason"), description: str(o, "description") }),
  },
  {
    name: "withdraw",
    summary: "the complainant withdraws (撤诉, R-13): needs --mainly-at-fault",
    needsCase: true,
    options: () => [
      opt("--reason <text>", "why").makeOptionMandatory(),
      opt("--mainly-at-fault", "the complainant bears the main part of the fault (002:417)"),
    ],
    build: (o) => ({
      type: "WithdrawComplaint",
      reason: str(o, "reason"),
      complainantMainlyAtFault: flag(o, "mainlyAtFault"),
    }),
  },
];

/** Adds a verb's flags to its commander command. */
export function addVerbOptions(command: Command, verb: Verb): void {
  for (const option of verb.options()) command.addOption(option);
  for (const make of COMMON_OPTIONS) command.addOption(make());
}
