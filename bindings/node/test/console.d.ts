// The two globals sample.ts uses, so the check needs no @types/node.
declare const console: { log(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
