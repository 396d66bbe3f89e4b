// `node --import ./bench/loader/register.mjs bench/run.ts`: see hooks.mjs.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
