/**
 * A preset of your own, derived from `tobacco` with `extendPreset`: a city bureau that also takes
 * complaints about its online ordering platform (a category the tobacco preset lacks, routed to
 * the information centre) and promises general complaints an answer within 5 working days
 * instead of the preset's 7. Everything else (severities, the other clocks, authority, closure
 * gates) is the tobacco preset's.
 *
 * Run it: `npx tsx examples/customPreset.ts` — it handles the same complaint under both policies
 * and prints when each one wants it answered.
 */
import { pathToFileURL } from "node:url";
import {
  type ComplaintId,
  calendars,
  createMemoryStore,
  evaluateSla,
  fixedClock,
  handle,
  type Policy,
  type Rejection,
  ulidGenerator,
} from "kesu";
import { extendPreset, tobacco } from "kesu/presets";

/**
 * The city bureau's policy. It needs an id (or version) of its own: every stream records the
 * policy that judges it, so a case handled under this one is never judged by plain `tobacco`.
 */
export const cityBureau: Policy = extendPreset(tobacco, {
  id: "tobacco-city-bureau",
  version: "1",
  categories: [
    {
      id: "ordering-platform",
      label: "Online ordering platform 网上订货平台",
      routeTo: "information-centre",
    },
  ],
  clocks: [
    {
      id: "handling",
      // The targets replace the base's list as a whole: restate the ones that stay.
      targets: [
        { severity: "major", target: { amount: 3, unit: "working-days" } },
        { kind: "inquiry", target: { amount: 2, unit: "working-days" } },
        { kind: "suggestion", target: { amount: 10, unit: "working-days" } },
        { target: { amount: 5, unit: "working-days" } }, // tobacco: 7
      ],
    },
  ],
});

/** What happened to one complaint under one policy. */
export interface CaseOutcome {
  readonly policy: string;
  /** The refusal of the classification, if it was refused. */
  readonly rejection?: Rejection | undefined;
  /** The unit the category routes the case to. */
  readonly routedTo?: string | undefined;
  readonly severity?: string | undefined;
  /** When the `handling` clock wants an answer. */
  readonly handlingDueAt?: string | undefined;
}

/**
 * Receives a complaint on Thursday 2025-09-25 at 10:00 in Shanghai, a week before the National
 * Day holiday, classifies it in `category` under `policy`, and judges its clocks.
 */
export async function handleUnder(policy: Policy, category: string): Promise<CaseOutcome> {
  const calendar = calendars.chinaMainland();
  const clock = fixedClock("2025-09-25T02:00:00.000Z");
  const ids = ulidGenerator({ clock, seed: 1 });
  const store = createMemoryStore();
  const ctx = { clock, ids, policy, calendar, actor: { id: "wang.li", role: "staff", unit: "service-desk" } };
  const id = ids.next() as ComplaintId;
  const intake = {
    type: "ReceiveComplaint",
    channel: "hotline",
    complainant: { id: "retailer-0831" },
    description: "订货平台提交订单后一直显示处理中",
  };
  await handle(store, id, intake, ctx);
  const classified = await handle(store, id, { type: "ClassifyComplaint", kind: "complaint", category }, ctx);
  if (!classified.ok) return { policy: policy.id, rejection: classified.rejection };
  const state = classified.state;
  const classification = "classification" in state ? state.classification : undefined;
  const sla = evaluateSla(await store.readStream(id), policy, calendar, clock.now());
  return {
    policy: policy.id,
    routedTo: classification?.routedTo,
    severity: classification?.severity,
    handlingDueAt: sla.clocks.find((c) => c.clockId === "handling")?.dueAt,
  };
}

/** An instant as the preset's users read it: local time in Shanghai. */
const shanghai = (iso: string | undefined) =>
  iso === undefined
    ? "-"
    : new Intl.DateTimeFormat("sv-SE", {
        timeZone: "Asia/Shanghai",
        dateStyle: "short",
        timeStyle: "short",
      }).format(new Date(iso));

async function main(): Promise<void> {
  for (const [policy, category] of [
    [tobacco, "ordering-platform"],
    [cityBureau, "ordering-platform"],
    [tobacco, "ordering"],
    [cityBureau, "ordering"],
  ] as const) {
    const outcome = await handleUnder(policy, category);
    console.log(
      outcome.rejection
        ? `${policy.id.padEnd(20)} ${category.padEnd(18)} refused: ${outcome.rejection.code} ${outcome.rejection.message}`
        : `${policy.id.padEnd(20)} ${category.padEnd(18)} ${outcome.severity}, routed to ${outcome.routedTo}, answer due ${shanghai(outcome.handlingDueAt)}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
