// Stands in for "vitest" in the CommonJS build of kesu/testing only. Vitest is ESM-only, so a
// CommonJS program can load the testing helpers (deciderSpec, arbitraries) but cannot run the
// vitest-based contract suite; calling it explains why instead of failing at require time.
function unavailable(): never {
  throw new Error(
    "eventStoreContract runs under vitest, which is ESM-only: import kesu/testing from an ES module test file",
  );
}

export const describe = unavailable;
export const it = unavailable;
export const expect = unavailable;
