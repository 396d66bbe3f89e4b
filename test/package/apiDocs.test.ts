import { join } from "node:path";
import {
  Application,
  type DeclarationReflection,
  Logger,
  LogLevel,
  type ProjectReflection,
  ReflectionKind,
} from "typedoc";
import { beforeAll, describe, expect, it } from "vitest";
import { root } from "../support/build.js";

// The API reference (`npm run docs`) is built from typedoc.json with `notDocumented` validation,
// so every export needs a TSDoc comment. typedoc.json leaves the kind "Property" out of
// `requiredToBeDocumented`: TypeDoc inlines types inferred from zod schemas (`z.infer`) and the
// types of `as const` data (`REJECTIONS`, the presets) as anonymous object types, and would ask
// for a comment on each of their thousands of nested fields, which have no declaration of their
// own to carry one. The properties of our own interfaces and classes are checked below instead.

/** Collects what TypeDoc reports, instead of printing it. */
class CollectingLogger extends Logger {
  readonly messages: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.messages.push(`${LogLevel[level]}: ${message}`);
  }
}

let project: ProjectReflection;
let logger: CollectingLogger;

beforeAll(async () => {
  const app = await Application.bootstrapWithPlugins({
    options: join(root, "typedoc.json"),
    tsconfig: join(root, "tsconfig.json"),
    // Source links need a git remote, which a checkout may not have; they are not under test.
    disableSources: true,
  });
  expect(app.logger.warningCount + app.logger.errorCount, "warnings while reading options").toBe(0);
  logger = new CollectingLogger();
  app.logger = logger;
  const converted = await app.convert();
  expect(converted, logger.messages.join("\n")).toBeDefined();
  project = converted!;
  app.validate(project);
}, 300_000);

/**
 * The properties of interfaces and classes declared in this package that carry no comment,
 * inherited ones included: a base interface that is not exported shows only through them.
 */
function undocumentedMembers(): string[] {
  const members = project.getReflectionsByKind(ReflectionKind.Property) as DeclarationReflection[];
  return members
    .filter((member) => member.parent?.kindOf(ReflectionKind.Interface | ReflectionKind.Class))
    .filter((member) => !member.hasComment())
    .map((member) => ({ member, symbol: project.getSymbolIdFromReflection(member) }))
    .filter(({ symbol }) => symbol?.packageName === "kesu")
    .map(({ member, symbol }) => `${member.getFriendlyFullName()} (${symbol!.packagePath})`);
}

describe("the API reference", () => {
  it("builds without a warning: every export is documented, every {@link} resolves", () => {
    expect(logger.messages).toEqual([]);
  });

  it("documents every property of the exported interfaces and classes", () => {
    expect(undocumentedMembers()).toEqual([]);
  });
});
