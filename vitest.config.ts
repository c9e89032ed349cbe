import { defineConfig } from "vitest/config";

// The files that assert on the process's one cleanup registry (its live count, its hooks) or install a
// simulated process: each needs a fresh worker, so no object another file left tracked can answer.
const FRESH = [
  "tests/cleanup.test.ts",
  "tests/keep.test.ts",
  "tests/kept_file.test.ts",
  "tests/platforms.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Removing a test's scratch directories takes seconds under Wine (1-5 ms a file call).
    hookTimeout: 60_000,
    // Subprocess and permission tests share /tmp; keep files in one worker each.
    pool: "forks",
    setupFiles: ["tests/_vitest_setup.ts"],
    projects: [
      { extends: true, test: { name: "fresh", include: FRESH, isolate: true } },
      // The rest share their workers, file after file, as `bun test` runs every file: a fresh worker per
      // file costs ~0.4 s of CPU, about 10 s a runtime.
      {
        extends: true,
        test: { name: "shared", include: ["tests/**/*.test.ts"], exclude: FRESH, isolate: false },
      },
    ],
  },
});
