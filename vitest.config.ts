import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    // Removing a test's scratch directories takes seconds under Wine (1-5 ms a file call).
    hookTimeout: 60_000,
    // Subprocess and permission tests share /tmp; keep files in one worker each.
    pool: "forks",
  },
});
