// The npm build's selector: Node and Bun share the `node:` backend, and the
// Deno backend never reaches the package.
export { backend } from "./node.ts";
