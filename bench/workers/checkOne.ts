/** Runs one correctness check in a process of its own and reports it to the parent. */
import { type Backend, runOneCheck } from "../correctness.js";
import type { Library } from "../harness.js";

interface Job {
  readonly backend: Backend;
  readonly lib: Library;
  readonly label: string;
  readonly pgUrl: string | undefined;
}

const job = await new Promise<Job>((resolve) => process.once("message", (m) => resolve(m as Job)));
const result = await runOneCheck(job.backend, job.lib, job.label, job.pgUrl);
process.send!({ result }, () => process.exit(0));
