// Picks the backend at import time: Deno first (it also defines `process`),
// then Bun (which reports a Node version too), then Node. Only the chosen
// backend is evaluated. The npm build maps this file to `select_npm.ts`.
const g = globalThis as { Deno?: unknown; Bun?: unknown };

export const { backend } = "Deno" in g
  ? await import("./deno.ts")
  : "Bun" in g
  ? await import("./bun.ts")
  : await import("./node.ts");
