import { matchSeverityRule, type Policy } from "../../domain/policy.js";
import type { RejectionCode } from "../../domain/rejection.js";
import type { Actor, Channel, Kind } from "../../domain/values.js";
import type { BusinessCalendar } from "../../sla/calendar/index.js";
import type { HandleResult } from "../../stores/handle.js";
import type { Random } from "./random.js";
import { remedyFor, staffOf } from "./staff.js";
import { description, person, REJECTION_REASONS, ROOT_CAUSES } from "./texts.js";

/** One thing that happens to a case: when, who, and the command. */
export interface Step {
  readonly at: Date;
  readonly actor: Actor;
  readonly command: Readonly<Record<string, unknown>>;
  /** A refusal provoked on purpose, to show that rejections are data. */
  readonly expect?: RejectionCode | undefined;
}

/** A case's life: yields its steps in time order and is told each step's outcome. */
export type CaseScript = AsyncGenerator<Step, void, HandleResult>;

/** What a script knows of the world. */
export interface CaseEnv {
  readonly r: Random;
  readonly policy: Policy;
  readonly calendar: BusinessCalendar;
  readonly receivedAt: Date;
  /** The earliest due instant, at `at`, of the running clocks that a `stop` event would stop. */
  dueOf(stop: string, at: Date): Promise<Date | undefined>;
}

const KIND_WEIGHTS: Readonly<Record<Kind, number>> = { complaint: 70, inquiry: 20, suggestion: 10 };
const CHANNELS: readonly (readonly [Channel, number])[] = [
  ["hotline", 30],
  ["phone", 20],
  ["online-form", 20],
  ["walk-in", 10],
  ["email", 6],
  ["letter", 4],
  ["internal", 2],
  ["regulator", 2],
  ["media", 1],
];

/**
 * The life of one case, drawn from `env.r`: registration, acknowledgement, classification,
 * hand-over, investigation, remedy, the complainant's answer, revisit, closure — with the
 * detours real cases take: on-the-spot answers, waiting on the complainant,
 * extensions, rejected remedies, invalid complaints, withdrawals,
 * remedies beyond a handler's authority and reopenings.
 */
export async function* caseScript(env: CaseEnv): CaseScript {
  const { r, policy, calendar } = env;
  const staff = staffOf(policy, r);
  const desk = staff.desk;
  const kind = r.weighted(policy.kinds.map((k) => [k, KIND_WEIGHTS[k]] as const));
  const category = r.pick(policy.categories).id;
  const channel: Channel = kind === "suggestion" && r.chance(0.4) ? "suggestion-box" : r.weighted(CHANNELS);
  const unit = policy.categories.find((c) => c.id === category)?.routeTo ?? "service";
  const handler = staff.handler(unit);
  const ruleTags = [...new Set(policy.severityRules.flatMap((rule) => rule.when.tagsAny ?? []))];
  const tags = ruleTags.length > 0 && kind === "complaint" && r.chance(0.07) ? [r.pick(ruleTags)] : [];
  const gate = policy.closure.gate !== "none";
  const anonymous = r.chance(0.08);

  let t = env.receivedAt;
  const advance = (to: Date) => {
    if (to.getTime() > t.getTime()) t = to;
    return t;
  };
  const hours = (h: number) => advance(new Date(t.getTime() + h * 3_600_000));
  const working = (h: number) => advance(calendar.addWorkingHours(t, Math.max(h, 0.05)));

  const received = yield {
    at: t,
    actor: desk,
    command: {
      type: "ReceiveComplaint",
      channel,
      complainant: anonymous ? { id: "anonymous", anonymous: true } : { id: `c-${r.int(1000, 9999)}` },
      personalData: anonymous ? null : person(r),
      description: description(r, kind, category),
      ...(category === "service-attitude" ? { complainedAbout: { id: `${unit}-9`, unit } } : {}),
      tags,
    },
  };
  if (!received.ok) return;

  // a simple matter settled at once, if the policy allows it for this severity.
  const raised = matchSeverityRule(policy, { category, tags, channel, kind });
  const spotAllowed =
    policy.onTheSpotSeverities.includes(policy.defaultSeverity) && !raised && channel !== "regulator";
  if (spotAllowed && r.chance(kind === "inquiry" ? 0.55 : kind === "complaint" ? 0.1 : 0)) {
    yield {
      at: hours(r.between(0.05, 0.4)),
      actor: desk,
      command: {
        type: "ResolveOnTheSpot",
        kind,
        category,
        remedy:
          kind === "inquiry"
            ? { kinds: ["answer"], description: "当场答复" }
            : { kinds: ["apology"], description: "当场致歉并说明" },
      },
    };
    return;
  }

  // Severity as the desk sees it at once: a rule's or the one the desk picks.
  const severities = policy.severities;
  const explicit =
    kind === "complaint" && severities.length > 2 && !raised
      ? r.weighted([
          [severities[0]!, 50],
          [severities[1]!, 35],
          [severities[2]!, 15],
        ])
      : undefined;
  const urgent =
    (raised !== undefined && severities.indexOf(raised.severity) > 0) ||
    (explicit !== undefined && severities.indexOf(explicit) > 1);

  // acknowledged well within the preset's window (urgent ones within the hour, never more
  // than a few hours), a few late.
  const ackDue = await env.dueOf("ReceiptAcknowledged", t);
  const window = ackDue ? (ackDue.getTime() - t.getTime()) / 3_600_000 : 24;
  if (r.chance(urgent ? 0.1 : 0.08)) hours(window * r.between(1.1, 1.7));
  else hours(Math.min(window * r.between(0.05, 0.8), urgent ? r.between(0.03, 0.3) : r.between(0.1, 5)));
  yield {
    at: t,
    actor: desk,
    command: {
      type: "AcknowledgeReceipt",
      handler: { id: handler.id, unit },
      expectedResponseBy: calendar.addWorkingDays(t, 5).toISOString(),
      channel: "phone",
    },
  };
  const classified = yield {
    at: hours(urgent ? r.between(0.02, 0.1) : r.between(0.03, 0.25)),
    actor: desk,
    command: { type: "ClassifyComplaint", kind, category, tags, ...(explicit ? { severity: explicit } : {}) },
  };
  if (!classified.ok) return;

  // a few complainants withdraw once the facts are explained.
  if (kind === "complaint" && r.chance(0.03)) {
    yield {
      at: working(r.between(2, 12)),
      actor: desk,
      command: {
        type: "WithdrawComplaint",
        reason: "客户了解情况后主动撤诉",
        complainantMainlyAtFault: true,
      },
    };
    return;
  }

  // routed to the unit; urgent cases are taken within the hour.
  yield {
    at: hours(urgent ? r.between(0.01, 0.08) : r.between(0.03, 0.3)),
    actor: desk,
    command: { type: "AssignComplaint", assignee: { id: handler.id, unit } },
  };
  if (urgent) hours(r.chance(0.88) ? r.between(0.05, 0.35) : r.between(1, 3));
  else working(r.chance(0.06) ? r.between(9, 20) : r.between(0.3, 6));
  yield { at: t, actor: handler, command: { type: "AcceptAssignment" } };

  // waiting on the complainant pauses the clocks.
  if (r.chance(0.07)) {
    yield {
      at: working(1),
      actor: handler,
      command: { type: "StartWaitingOnComplainant", reason: "请客户补充购买凭证" },
    };
    yield {
      at: hours(r.between(20, 96)),
      actor: handler,
      command: { type: "EndWaitingOnComplainant", note: "客户已补充" },
    };
  }

  const due = (await env.dueOf("ComplaintResolved", t)) ?? calendar.addWorkingDays(t, 5);
  const span = Math.max(calendar.workingTimeBetween(t, due) / 3_600_000, 1);
  const late = r.chance(0.12);
  const share = late ? r.between(1.1, 1.8) : r.between(0.3, 0.9);
  const start = t;
  const answerClock = policy.clocks.find((c) => c.stop.includes("ComplaintResolved"));
  if (late && answerClock && r.chance(0.3))
    yield {
      at: working(span * 0.5),
      actor: staff.extensionApprover,
      command: {
        type: "ExtendDeadline",
        clock: answerClock.id,
        extension: { amount: 3, unit: "working-days" },
        reason: "需要第三方检测",
        approvedBy: staff.extensionApprover,
        complainantNotified: true,
      },
    };

  const validity = kind === "complaint" && r.chance(0.15) ? "invalid" : "valid";
  const needsMeasures = gate && kind === "complaint" && validity === "valid";
  let round = 1;
  // The first round follows the drawn share of the target; later rounds take a few working hours.
  const nextRound = (first: number) =>
    round === 1 ? advance(calendar.addWorkingHours(start, span * share * first)) : working(r.between(3, 12));
  const investigate = () => ({
    at: nextRound(0.7),
    actor: handler,
    command: {
      type: "RecordInvestigation",
      findings:
        validity === "valid"
          ? { facts: "经核实情况属实", validity, rootCause: r.pick(ROOT_CAUSES), responsible: { unit } }
          : { facts: "经核实不属于本单位责任", validity },
    },
  });
  if (kind === "complaint") yield investigate();
  if (needsMeasures) {
    yield {
      at: hours(0.5),
      actor: handler,
      command: {
        type: "PlanCorrectiveAction",
        actionId: "capa-1",
        description: "整改并培训",
        owner: { unit },
      },
    };
    yield {
      at: hours(0.2),
      actor: handler,
      command: { type: "RecordAccountability", responsible: { unit }, measure: "通报批评并纳入考核" },
    };
  }

  const propose = async function* (): CaseScript {
    const remedy = remedyFor(r, kind, validity, policy.currency, round);
    const approver = remedy.value ? staff.approverFor(handler, remedy.value.amount) : undefined;
    const at = nextRound(1);
    // now and then a handler promises beyond their authority and is refused.
    if (approver && r.chance(0.25)) {
      yield {
        at,
        actor: handler,
        command: { type: "ProposeResolution", remedy },
        expect: "policy/authority-exceeded",
      };
      hours(0.5);
    }
    yield {
      at: t,
      actor: handler,
      command: { type: "ProposeResolution", remedy, ...(approver ? { approvedBy: approver } : {}) },
    };
  };
  yield* propose();

  // the complainant rejects the first remedy; another round of investigation.
  if (kind === "complaint" && validity === "valid" && r.chance(0.1)) {
    yield {
      at: hours(r.between(6, 48)),
      actor: desk,
      command: { type: "RejectResolution", reason: r.pick(REJECTION_REASONS) },
    };
    round = 2;
    yield investigate();
    yield* propose();
  }
  yield { at: hours(r.between(2, 40)), actor: desk, command: { type: "AcceptResolution" } };
  yield* finish(1);

  // some complainants come back on the same matter.
  if (kind !== "complaint" || !r.chance(0.05)) return;
  const badly = validity === "valid" && r.chance(0.5);
  yield {
    at: hours(r.between(48, 200)),
    actor: desk,
    command: {
      type: "ReopenComplaint",
      reason: badly ? "handled-badly" : "complainant-returned",
      description: "客户反映问题再次出现",
    },
  };
  round += 1;
  yield investigate();
  if (badly || needsMeasures)
    yield {
      at: hours(0.3),
      actor: handler,
      command: { type: "RecordAccountability", responsible: { unit }, measure: "重新处理并追责" },
    };
  if (needsMeasures) {
    yield {
      at: hours(0.2),
      actor: handler,
      command: { type: "PlanCorrectiveAction", actionId: "capa-2", description: "补充整改", owner: { unit } },
    };
    yield {
      at: working(r.between(4, 16)),
      actor: handler,
      command: { type: "RecordCorrectiveActionImplemented", actionId: "capa-2" },
    };
    yield {
      at: working(4),
      actor: staff.extensionApprover,
      command: { type: "VerifyCorrectiveAction", actionId: "capa-2", effective: true },
    };
  }
  yield* propose();
  yield { at: hours(r.between(2, 30)), actor: desk, command: { type: "AcceptResolution" } };
  yield* finish(2);

  /** R-32 report back, R-10 revisit, R-11/R-30 close. */
  async function* finish(cycle: number): CaseScript {
    if (channel === "regulator")
      yield {
        at: hours(1),
        actor: handler,
        command: { type: "InformRegulator", regulator: "市场监管部门", summary: "已处理完毕" },
      };
    const revisit = kind === "complaint" && (policy.closure.requireRevisit || r.chance(0.4));
    if (revisit) {
      const confirmedFirst = !policy.closure.requireComplainantConfirmation || r.chance(0.92);
      const satisfaction = r.weighted([
        [90, 45],
        [80, 35],
        [70, 15],
        [60, 5],
      ] as const);
      yield {
        at: working(r.between(2, 20)),
        actor: desk,
        command: {
          type: "RecordRevisit",
          satisfaction: confirmedFirst ? satisfaction : 60,
          complainantConfirmed: confirmedFirst,
        },
      };
      if (!confirmedFirst)
        yield {
          at: working(r.between(8, 24)),
          actor: desk,
          command: { type: "RecordRevisit", satisfaction: 70, complainantConfirmed: true },
        };
    }
    // the first cycle's corrective action is implemented and verified before closing.
    if (needsMeasures && cycle === 1) {
      yield {
        at: working(r.between(2, 16)),
        actor: handler,
        command: { type: "RecordCorrectiveActionImplemented", actionId: "capa-1" },
      };
      yield {
        at: working(r.between(2, 8)),
        actor: staff.extensionApprover,
        command: { type: "VerifyCorrectiveAction", actionId: "capa-1", effective: true },
      };
    }
    yield {
      at: working(r.between(0.2, 4)),
      actor: desk,
      command: {
        type: "CloseComplaint",
        summary: cycle === 1 ? "处理完毕" : "再次处理完毕",
        staffEducated: gate,
      },
    };
  }
}
