/**
 * The relay mailbox contract, as the mailbox protocol server in packages/transport asks for it
 * (packages/transport/src/mailbox/backend.ts declares the same shape; the two packages may not import
 * each other, so relay-node passes a MailboxStore where a MailboxBackend is expected). Keep both
 * declarations in step.
 */
export {}
//# sourceMappingURL=types.js.map
